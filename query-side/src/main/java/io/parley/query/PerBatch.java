package io.parley.query;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * What a handler collects over one batch of events (rows, records sent) and completes once, in one
 * statement, before the batch's transaction commits with the processor's token. A streaming
 * processor hands a batch's events to the handlers inside one unit of work: the first event of the
 * batch creates the collection and registers the write on that unit of work's prepare-commit, the
 * others add to it. If the write fails, the batch rolls back and is processed again, as for any
 * handler failure.
 */
public final class PerBatch {

  private PerBatch() {}

  /**
   * The collection this unit of work keeps under {@code key}, created by {@code create} the first
   * time and handed to {@code write} when the unit of work prepares to commit.
   */
  public static <C> C of(
      UnitOfWork<?> unitOfWork, String key, Supplier<C> create, Consumer<? super C> write) {
    return unitOfWork.getOrComputeResource(
        key,
        k -> {
          C collected = create.get();
          unitOfWork.onPrepareCommit(u -> write.accept(collected));
          return collected;
        });
  }
}
