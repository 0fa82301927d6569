package io.parley.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

class PerBatchTest {

  @Test
  void whatABatchCollectsIsWrittenOnceWhenItCommits() {
    List<List<String>> writes = new ArrayList<>();
    UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("e1"));

    PerBatch.<List<String>>of(batch, "k", ArrayList::new, writes::add).add("a");
    PerBatch.<List<String>>of(batch, "k", ArrayList::new, writes::add).add("b");
    assertThat(writes).isEmpty();

    batch.commit();
    assertThat(writes).containsExactly(List.of("a", "b"));
  }

  @Test
  void aRolledBackBatchWritesNothing() {
    List<List<String>> writes = new ArrayList<>();
    UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("e1"));
    PerBatch.<List<String>>of(batch, "k", ArrayList::new, writes::add).add("a");

    batch.rollback();
    assertThat(writes).isEmpty();
  }

  @Test
  void collectedItemsAreWrittenTogetherAtCommitOrWhenFlushed() {
    List<List<String>> writes = new ArrayList<>();
    UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("e1"));
    PerBatch.collect(batch, "rows", "a", writes::add);
    PerBatch.collect(batch, "rows", "b", writes::add);
    PerBatch.flush(batch, "rows");
    PerBatch.collect(batch, "rows", "c", writes::add);
    assertThat(writes).containsExactly(List.of("a", "b"));

    batch.commit();
    assertThat(writes).containsExactly(List.of("a", "b"), List.of("c"));
  }

  @Test
  void inASavepointEachItemIsWrittenAtOnce() {
    List<List<String>> writes = new ArrayList<>();
    UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("e1"));
    batch.resources().put(PerBatch.WRITE_NOW, Boolean.TRUE);
    PerBatch.collect(batch, "rows", "a", writes::add);
    assertThat(writes).containsExactly(List.of("a"));
    batch.resources().remove(PerBatch.WRITE_NOW);
    PerBatch.collect(batch, "rows", "b", writes::add);

    batch.commit();
    assertThat(writes).containsExactly(List.of("a"), List.of("b"));
  }

  @Test
  void aFlushInsideASavepointKeepsTheItemsForTheBatchsOwnWrite() {
    // The savepoint may roll back what the flush wrote (its handler fails and is dead-lettered):
    // the batch's rows must still be written when it commits.
    List<List<String>> writes = new ArrayList<>();
    UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("e1"));
    PerBatch.collect(batch, "rows", "a", writes::add);
    batch.resources().put(PerBatch.WRITE_NOW, Boolean.TRUE);
    PerBatch.flush(batch, "rows");
    batch.resources().remove(PerBatch.WRITE_NOW);

    batch.commit();
    assertThat(writes).containsExactly(List.of("a"), List.of("a"));
  }
}
