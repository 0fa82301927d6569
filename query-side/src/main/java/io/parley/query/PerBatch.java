package io.parley.query;

import java.util.ArrayList;
import java.util.List;
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

  /**
   * Unit-of-work resource present while a handler runs in its own savepoint (axon-support's {@code
   * SavepointOnRetryHandlerEnhancer.WRITE_NOW}, named again here since query-side does not depend
   * on axon-support): an event being retried alone, or outside a streaming batch. {@link #collect}
   * then writes at once, so that a failure belongs to that event and it can be dead-lettered.
   */
  static final String WRITE_NOW = "io.parley.savepoint.writeNow";

  private PerBatch() {}

  /**
   * Adds {@code item} to the list this unit of work collects under {@code key}, which {@code write}
   * gets in one call when the unit of work prepares to commit or when a handler calls {@link
   * #flush}; while the handler runs in its own savepoint, {@code write} gets the item alone at
   * once.
   */
  public static <T> void collect(
      UnitOfWork<?> unitOfWork, String key, T item, Consumer<? super List<T>> write) {
    if (unitOfWork.getResource(WRITE_NOW) != null) {
      write.accept(List.of(item));
      return;
    }
    Pending<T> pending =
        unitOfWork.getOrComputeResource(
            key,
            k -> {
              Pending<T> created = new Pending<>(write);
              unitOfWork.onPrepareCommit(u -> created.flush());
              return created;
            });
    pending.items.add(item);
  }

  /**
   * Writes what this unit of work collected under {@code key} so far, before a statement that must
   * see it (an update of rows still to be inserted). The write must be idempotent: inside a
   * handler's savepoint the items are kept and written again at the end of the batch.
   */
  public static void flush(UnitOfWork<?> unitOfWork, String key) {
    Pending<?> pending = unitOfWork.getResource(key);
    if (pending == null) {
      return;
    }
    if (unitOfWork.getResource(WRITE_NOW) != null) {
      // Inside a handler's savepoint: if the handler fails, the savepoint takes these rows with
      // it, so they are written again when the batch commits (the writes are idempotent).
      pending.writeKeeping();
    } else {
      pending.flush();
    }
  }

  private static final class Pending<T> {
    private final List<T> items = new ArrayList<>();
    private final Consumer<? super List<T>> write;

    Pending(Consumer<? super List<T>> write) {
      this.write = write;
    }

    void flush() {
      writeKeeping();
      items.clear();
    }

    void writeKeeping() {
      if (!items.isEmpty()) {
        write.accept(List.copyOf(items));
      }
    }
  }

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
