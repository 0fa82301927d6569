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
}
