package io.parley.infra;

import java.util.Optional;
import java.util.function.Predicate;

/** Walks a failure's cause chain: Axon, Spring, jOOQ and futures each wrap the real cause. */
public final class Causes {

  private Causes() {}

  /** The first throwable in the chain (the failure itself included) that matches. */
  public static Optional<Throwable> find(Throwable failure, Predicate<Throwable> matches) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (matches.test(t)) {
        return Optional.of(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }
}
