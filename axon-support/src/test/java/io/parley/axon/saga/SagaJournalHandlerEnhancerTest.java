package io.parley.axon.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.messaging.annotation.AnnotatedMessageHandlingMemberDefinition;
import org.axonframework.messaging.annotation.ClasspathHandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiHandlerDefinition;
import org.axonframework.messaging.annotation.MultiHandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.NoMoreInterceptors;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.saga.AnnotatedSaga;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaScopeDescriptor;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.modelling.saga.metamodel.AnnotationSagaMetaModelFactory;
import org.axonframework.modelling.saga.metamodel.SagaModel;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class SagaJournalHandlerEnhancerTest {

  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  public record Started(String id) {}

  public record Noted(String id) {}

  public record Finished(String id) {}

  public static class TestSaga {
    @StartSaga
    @SagaEventHandler(associationProperty = "id")
    public void on(Started event) {}

    @SagaEventHandler(associationProperty = "id")
    public void on(Noted event) {}

    @EndSaga
    @SagaEventHandler(associationProperty = "id")
    public void on(Finished event) {}
  }

  final JdbcSagaJournal journal = mock(JdbcSagaJournal.class);
  final SagaJournalHandlerEnhancer enhancer =
      new SagaJournalHandlerEnhancer(journal, Clock.fixed(NOW, ZoneOffset.UTC));

  @SuppressWarnings("unchecked")
  @Test
  void aBatchIsWrittenOnceAtPrepareCommit_withIndexesTypesStartAndEnd() {
    AnnotatedSaga<TestSaga> first = saga("saga-1");
    AnnotatedSaga<TestSaga> second = saga("saga-2");
    List<EventMessage<?>> batch =
        List.of(
            tracked(new Started("a"), 7),
            tracked(new Noted("a"), 8),
            tracked(new Finished("b"), 9));
    BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
    // As a pooled processor does: the batch's task runs once per message, commit once at the end.
    unitOfWork.executeWithResult(
        () -> {
          EventMessage<?> event = unitOfWork.getMessage();
          (event.getPayload() instanceof Finished ? second : first).handle(event);
          return null;
        });

    ArgumentCaptor<List<JdbcSagaJournal.Entry>> entries = ArgumentCaptor.forClass(List.class);
    ArgumentCaptor<Set<String>> ended = ArgumentCaptor.forClass(Set.class);
    verify(journal, times(1)).write(entries.capture(), ended.capture());
    assertThat(entries.getValue())
        .containsExactly(
            new JdbcSagaJournal.Entry("saga-1", TestSaga.class.getName(), 7L, "Started", NOW, true),
            new JdbcSagaJournal.Entry("saga-1", TestSaga.class.getName(), 8L, "Noted", NOW, false),
            new JdbcSagaJournal.Entry(
                "saga-2", TestSaga.class.getName(), 9L, "Finished", NOW, false));
    assertThat(ended.getValue()).containsExactly("saga-2");
  }

  @Test
  void aFailingHandlerJournalsNothing_andARolledBackUnitOfWorkWritesNothing() {
    AnnotatedSaga<TestSaga> saga = saga("saga-1");
    EventMessage<?> event = tracked(new Started("a"), 1);
    DefaultUnitOfWork<EventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(event);
    saga.handle(event);
    unitOfWork.rollback();
    verify(journal, never()).write(any(), any());
  }

  @Test
  void outsideAUnitOfWork_nothingIsJournalled() {
    saga("saga-1").handle(tracked(new Started("a"), 1));
    verifyNoInteractions(journal);
  }

  @SuppressWarnings("unchecked")
  @Test
  void deadlinesOfASagaScope_areIndexedInTheSameWrite_andCancellingForgetsThem() {
    DeadlineManager delegate = mock(DeadlineManager.class);
    org.mockito.Mockito.when(delegate.schedule(any(Instant.class), any(String.class), any(), any()))
        .thenReturn("d-1", "d-2");
    SagaDeadlineIndex deadlines =
        new SagaDeadlineIndex(delegate, journal, Clock.fixed(NOW, ZoneOffset.UTC));
    EventMessage<?> event = tracked(new Noted("a"), 3);
    DefaultUnitOfWork<EventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(event);
    SagaScopeDescriptor scope = new SagaScopeDescriptor("TestSaga", "saga-1");
    deadlines.schedule(NOW.plusSeconds(60), "due", null, scope);
    deadlines.schedule(NOW.plusSeconds(60), "other", null, scope);
    deadlines.cancelSchedule("other", "d-2");
    deadlines.cancelSchedule("old", "d-0");
    unitOfWork.commit();

    ArgumentCaptor<java.util.Collection<JdbcSagaJournal.Deadline>> scheduled =
        ArgumentCaptor.forClass(java.util.Collection.class);
    ArgumentCaptor<java.util.Collection<String>> cancelled =
        ArgumentCaptor.forClass(java.util.Collection.class);
    var order = inOrder(journal);
    order.verify(journal).writeDeadlines(scheduled.capture(), cancelled.capture());
    order.verify(journal).write(any(), any());
    assertThat(scheduled.getValue())
        .containsExactly(new JdbcSagaJournal.Deadline("d-1", "saga-1", "due", NOW));
    assertThat(cancelled.getValue()).containsExactly("d-0");
  }

  @Test
  void deadlinesOfOtherScopes_areNotIndexed() {
    DeadlineManager delegate = mock(DeadlineManager.class);
    SagaDeadlineIndex deadlines =
        new SagaDeadlineIndex(delegate, journal, Clock.fixed(NOW, ZoneOffset.UTC));
    deadlines.schedule(
        NOW,
        "due",
        null,
        new org.axonframework.modelling.command.AggregateScopeDescriptor("Card", "c-1"));
    verify(journal, never()).writeDeadlines(anyCollection(), anyCollection());
  }

  private AnnotatedSaga<TestSaga> saga(String id) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    SagaModel<TestSaga> model =
        new AnnotationSagaMetaModelFactory(
                ClasspathParameterResolverFactory.forClassLoader(loader),
                MultiHandlerDefinition.ordered(
                    List.of(new AnnotatedMessageHandlingMemberDefinition()),
                    MultiHandlerEnhancerDefinition.ordered(
                        ClasspathHandlerEnhancerDefinition.forClassLoader(loader), enhancer)))
            .modelOf(TestSaga.class);
    Set<AssociationValue> associations = new HashSet<>();
    associations.add(new AssociationValue("id", "a"));
    associations.add(new AssociationValue("id", "b"));
    return new AnnotatedSaga<>(
        id, associations, new TestSaga(), model, NoMoreInterceptors.instance());
  }

  private static EventMessage<?> tracked(Object payload, long index) {
    return new GenericTrackedEventMessage<>(
        new GlobalSequenceTrackingToken(index), GenericEventMessage.asEventMessage(payload));
  }
}
