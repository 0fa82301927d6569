package io.parley.ops.processor;

import static io.parley.migrations.jooq.Tables.PROCESSOR_REPLAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.parley.api.error.ConflictException;
import io.parley.api.error.NotFoundException;
import io.parley.testsupport.MigratedDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One node's part in a replay (ADR 0018), on a real {@code processor_replay} table: the node stops
 * its copy of the processor, resets it when it can claim every segment (releasing the claims), and
 * starts it again after the reset — also when the replay ended, or was abandoned, before this node
 * saw the reset. The processor and the token store are Axon's interfaces, stubbed.
 */
class ReplayCoordinatorTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

  MigratedDatabase database;
  DSLContext db;
  StreamingEventProcessor timeline;
  TokenStore tokenStore;
  SequencedDeadLetterQueue<EventMessage<?>> deadLetters;
  ReplayCoordinator coordinator;

  @BeforeEach
  void setUp() {
    database = MigratedDatabase.create();
    // As in the application: jOOQ's statements join the Spring transaction the coordinator opens.
    db = DSL.using(new TransactionAwareDataSourceProxy(database.dataSource()), SQLDialect.POSTGRES);
    timeline = mock(StreamingEventProcessor.class);
    when(timeline.getName()).thenReturn("timeline");
    when(timeline.supportsReset()).thenReturn(true);
    when(timeline.isRunning()).thenReturn(true);
    EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
    when(processing.sagaConfigurations()).thenReturn(List.of());
    when(processing.eventProcessor("timeline")).thenReturn(Optional.of((EventProcessor) timeline));
    when(processing.eventProcessor("timeline", StreamingEventProcessor.class))
        .thenReturn(Optional.of(timeline));
    @SuppressWarnings("unchecked")
    SequencedDeadLetterQueue<EventMessage<?>> queue = mock(SequencedDeadLetterQueue.class);
    deadLetters = queue;
    when(processing.deadLetterQueue("timeline")).thenReturn(Optional.of(deadLetters));
    tokenStore = mock(TokenStore.class);
    when(tokenStore.fetchSegments("timeline")).thenReturn(new int[] {0, 1});
    @SuppressWarnings("unchecked")
    StreamableMessageSource<?> store = mock(StreamableMessageSource.class);
    when(store.createHeadToken()).thenReturn(new GlobalSequenceTrackingToken(42));
    TokenTable tokens =
        new TokenTable(db, mock(Serializer.class), store, Duration.ofSeconds(10), CLOCK);
    coordinator =
        new ReplayCoordinator(
            processing,
            tokenStore,
            tokens,
            db,
            new TransactionTemplate(new DataSourceTransactionManager(database.dataSource())),
            CLOCK,
            Duration.ofSeconds(1));
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  @Test
  void theNodeThatCanClaimEverySegmentResetsReleasesAndStartsItsCopyAgain() {
    coordinator.request("timeline", "olga");

    coordinator.poll();
    verify(timeline).shutDown();
    verify(timeline).resetTokens();
    verify(deadLetters).clear();
    verify(tokenStore).releaseClaim("timeline", 0);
    verify(tokenStore).releaseClaim("timeline", 1);
    var row = db.selectFrom(PROCESSOR_REPLAY).fetchSingle();
    assertThat(row.getResetAt()).isAtSameInstantAs(OffsetDateTime.now(CLOCK));
    assertThat(row.getEndPosition()).isEqualTo(42);
    assertThat(row.getRequestedBy()).isEqualTo("olga");
    verify(timeline, never()).start();

    coordinator.poll();
    verify(timeline).start();
  }

  @Test
  void aNodeThatCannotClaimEverySegmentWaits_andStartsAgainWhenTheReplayEndedElsewhere() {
    doThrow(new UnableToClaimTokenException("node-b holds segment 1")).when(timeline).resetTokens();
    coordinator.request("timeline", "olga");

    coordinator.poll();
    verify(timeline).shutDown();
    assertThat(db.selectFrom(PROCESSOR_REPLAY).fetchSingle().getResetAt()).isNull();
    verify(deadLetters, never()).clear();
    verify(timeline, never()).start();

    // Another node reset it, and the replay finished before this node's next poll.
    database
        .dsl()
        .update(PROCESSOR_REPLAY)
        .set(PROCESSOR_REPLAY.RESET_AT, OffsetDateTime.now(CLOCK))
        .set(PROCESSOR_REPLAY.FINISHED_AT, OffsetDateTime.now(CLOCK))
        .execute();
    coordinator.poll();
    verify(timeline).start();
  }

  @Test
  void aResetThatFailsIsRolledBackWhole_andTriedAgainAtTheNextPoll() {
    doThrow(new IllegalStateException("a reset handler failed"))
        .doNothing()
        .when(timeline)
        .resetTokens();
    coordinator.request("timeline", "olga");
    coordinator.poll();
    assertThat(db.selectFrom(PROCESSOR_REPLAY).fetchSingle().getResetAt()).isNull();
    verify(timeline, never()).start();

    coordinator.poll();
    assertThat(db.selectFrom(PROCESSOR_REPLAY).fetchSingle().getResetAt()).isNotNull();
    coordinator.poll();
    verify(timeline).start();
  }

  @Test
  void aCopyThatFailsToStartIsStartedAgainAtTheNextPoll() {
    coordinator.request("timeline", "olga");
    coordinator.poll(); // stopped and reset
    doThrow(new IllegalStateException("no thread")).doNothing().when(timeline).start();
    assertThatThrownBy(coordinator::poll).isInstanceOf(IllegalStateException.class);
    coordinator.poll();
    verify(timeline, org.mockito.Mockito.times(2)).start();
  }

  @Test
  void aRequestAbandonedByHandStartsTheStoppedCopyAgain() {
    doThrow(new UnableToClaimTokenException("a dead node's claim")).when(timeline).resetTokens();
    coordinator.request("timeline", "olga");
    coordinator.poll();
    verify(timeline).shutDown();

    db.deleteFrom(PROCESSOR_REPLAY).execute();
    coordinator.poll();
    verify(timeline).start();
  }

  @Test
  void aSecondRequestWhileTheFirstIsUnfinishedIsAConflict_anUnknownProcessorNotFound() {
    coordinator.request("timeline", "olga");
    assertThatThrownBy(() -> coordinator.request("timeline", "otto"))
        .isInstanceOf(ConflictException.class);
    assertThat(db.selectFrom(PROCESSOR_REPLAY).fetchSingle().getRequestedBy()).isEqualTo("olga");
    assertThatThrownBy(() -> coordinator.request("nothing", "olga"))
        .isInstanceOf(NotFoundException.class);

    database
        .dsl()
        .update(PROCESSOR_REPLAY)
        .set(PROCESSOR_REPLAY.FINISHED_AT, OffsetDateTime.now(CLOCK))
        .execute();
    coordinator.request("timeline", "otto");
    assertThat(db.selectFrom(PROCESSOR_REPLAY).fetchSingle().getRequestedBy()).isEqualTo("otto");
  }
}
