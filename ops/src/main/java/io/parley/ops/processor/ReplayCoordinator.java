package io.parley.ops.processor;

import static io.parley.migrations.jooq.Tables.PROCESSOR_REPLAY;

import io.parley.api.error.ConflictException;
import io.parley.api.error.NotFoundException;
import io.parley.migrations.jooq.tables.records.ProcessorReplayRecord;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replays a projection across the cluster, whichever node is asked and whichever nodes hold its
 * segments. Axon's {@code resetTokens} needs every segment's claim and the processor stopped, so a
 * request is a row in {@code processor_replay} that every node polls:
 *
 * <ol>
 *   <li>each node running the processor stops it, which releases its claims;
 *   <li>one node (the row is locked) resets the tokens once it can claim every segment: the
 *       projection's {@code @ResetHandler} clears its tables and each segment gets a replay token
 *       from the start of the store, in one transaction that also releases the claims again and
 *       records {@code reset_at}; a node that still holds a claim makes it wait for the next poll;
 *   <li>every node that stopped the processor starts it again, also when the replay ended or the
 *       request was abandoned before this node saw the reset; the segments are claimed as at
 *       start-up;
 *   <li>the first node to see no replay token left records {@code finished_at}.
 * </ol>
 *
 * A node that dies holding a claim delays the reset by the token store's claim timeout. A node that
 * restarts while a replay is starting stops its processor again on its first poll.
 */
public class ReplayCoordinator implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ReplayCoordinator.class);

  private final EventProcessingConfiguration processing;
  private final TokenStore tokenStore;
  private final TokenTable tokens;
  private final DSLContext db;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final Duration pollInterval;

  /** Processors this node stopped for a replay, to start again once the tokens are reset. */
  private final Set<String> stoppedHere = ConcurrentHashMap.newKeySet();

  /** Consecutive failed resets (other than a segment claimed elsewhere), by processor. */
  private final Map<String, Integer> resetFailures = new ConcurrentHashMap<>();

  /** Failed resets in a row after which the log says so at ERROR (then about once a minute). */
  static final int STUCK_AFTER = 10;

  private ScheduledExecutorService poller;

  public ReplayCoordinator(
      EventProcessingConfiguration processing,
      TokenStore tokenStore,
      TokenTable tokens,
      DSLContext db,
      TransactionTemplate transactions,
      Clock clock,
      Duration pollInterval) {
    this.processing = processing;
    this.tokenStore = tokenStore;
    this.tokens = tokens;
    this.db = db;
    this.transactions = transactions;
    this.clock = clock;
    this.pollInterval = pollInterval;
  }

  /**
   * Asks every node to replay {@code processor} from the start of the store.
   *
   * @throws NotFoundException no such processor on this node
   * @throws ConflictException a saga processor, one that cannot be reset, or one already replaying
   */
  public void request(String processor, String operator) {
    StreamingEventProcessor streaming = replayable(processor);
    if (tokens.segments(processor).stream().anyMatch(TokenTable.SegmentToken::replaying)) {
      throw new ConflictException("The processor is already replaying");
    }
    OffsetDateTime now = now();
    int inserted =
        db.insertInto(PROCESSOR_REPLAY)
            .set(PROCESSOR_REPLAY.PROCESSOR_NAME, streaming.getName())
            .set(PROCESSOR_REPLAY.REQUESTED_AT, now)
            .set(PROCESSOR_REPLAY.REQUESTED_BY, operator)
            .onConflict(PROCESSOR_REPLAY.PROCESSOR_NAME)
            .doUpdate()
            .set(PROCESSOR_REPLAY.REQUESTED_AT, now)
            .set(PROCESSOR_REPLAY.REQUESTED_BY, operator)
            .setNull(PROCESSOR_REPLAY.RESET_AT)
            .setNull(PROCESSOR_REPLAY.END_POSITION)
            .setNull(PROCESSOR_REPLAY.FINISHED_AT)
            .where(PROCESSOR_REPLAY.FINISHED_AT.isNotNull())
            .execute();
    if (inserted == 0) {
      throw new ConflictException("The processor is already replaying");
    }
    log.info("Replay of processor {} requested by {}", processor, operator);
  }

  /** The replays not finished yet, by processor. */
  public List<ProcessorReplayRecord> unfinished() {
    return db.selectFrom(PROCESSOR_REPLAY).where(PROCESSOR_REPLAY.FINISHED_AT.isNull()).fetch();
  }

  /** The processor {@code name} if a replay may be asked for, else why not. */
  StreamingEventProcessor replayable(String name) {
    if (isSaga(name)) {
      throw new ConflictException("A saga processor is never replayed");
    }
    StreamingEventProcessor streaming =
        processing
            .eventProcessor(name)
            .map(
                p -> {
                  if (p instanceof StreamingEventProcessor s && s.supportsReset()) {
                    return s;
                  }
                  throw new ConflictException(
                      "The processor's handlers do not support a replay, or it is switched off"
                          + " on this node");
                })
            .orElseThrow(() -> new NotFoundException("No processor of that name"));
    return streaming;
  }

  boolean isSaga(String name) {
    return processing.sagaConfigurations().stream()
        .anyMatch(saga -> saga.processingGroup().equals(name));
  }

  /** One round of the protocol above for every unfinished replay; runs on the poller's thread. */
  void poll() {
    Set<String> unfinished = new HashSet<>();
    for (ProcessorReplayRecord replay : unfinished()) {
      String name = replay.getProcessorName();
      unfinished.add(name);
      Optional<StreamingEventProcessor> local =
          processing.eventProcessor(name, StreamingEventProcessor.class);
      if (replay.getResetAt() == null) {
        local.ifPresent(p -> stopAndTryReset(name, p));
      } else {
        local.filter(p -> stoppedHere.contains(name)).ifPresent(p -> restart(name, p));
        finishIfDone(name);
      }
    }
    // Stopped here for a replay that has ended before this node saw its reset (another node reset
    // it and a short replay finished between two polls), or that an operator abandoned (its row
    // finished or deleted by hand): this node's copy runs again.
    for (String name : List.copyOf(stoppedHere)) {
      if (!unfinished.contains(name)) {
        processing
            .eventProcessor(name, StreamingEventProcessor.class)
            .ifPresentOrElse(p -> restart(name, p), () -> stoppedHere.remove(name));
      }
    }
  }

  private void stopAndTryReset(String name, StreamingEventProcessor processor) {
    if (processor.isRunning()) {
      log.info("Stopping processor {} on this node for its replay", name);
      stoppedHere.add(name); // first: if shutting down fails half-way, it is still started again
      processor.shutDown();
    }
    try {
      transactions.executeWithoutResult(status -> resetIfStillRequested(name, processor));
      resetFailures.remove(name);
    } catch (UnableToClaimTokenException claimedElsewhere) {
      log.debug("Replay of {} waits for another node to release a segment", name);
    } catch (RuntimeException failure) {
      int failures = resetFailures.merge(name, 1, Integer::sum);
      String cause = describe(failure);
      if (failures == STUCK_AFTER || failures % (STUCK_AFTER * 6) == 0) {
        log.error(
            "Replay of {} could not reset the processor {} times ({}); every node keeps it stopped"
                + " until it can. Fix the cause, or abandon the replay"
                + " (docs/runbooks/replay-a-projection.md)",
            name,
            failures,
            cause);
      } else {
        log.warn("Replay of {} could not reset the processor ({}); trying again", name, cause);
      }
    }
  }

  private void resetIfStillRequested(String name, StreamingEventProcessor processor) {
    Optional<ProcessorReplayRecord> pending =
        db.selectFrom(PROCESSOR_REPLAY)
            .where(PROCESSOR_REPLAY.PROCESSOR_NAME.eq(name))
            .and(PROCESSOR_REPLAY.RESET_AT.isNull())
            .and(PROCESSOR_REPLAY.FINISHED_AT.isNull())
            .forUpdate()
            .skipLocked()
            .fetchOptional();
    if (pending.isEmpty()) {
      return; // another node is resetting it, or has
    }
    long end = tokens.head();
    processor.resetTokens(); // claims every segment, or throws UnableToClaimTokenException
    // The replay handles the parked events again: a letter left behind would apply its event twice.
    processing.deadLetterQueue(name).ifPresent(SequencedDeadLetterQueue::clear);
    for (int segment : tokenStore.fetchSegments(name)) {
      tokenStore.releaseClaim(name, segment);
    }
    db.update(PROCESSOR_REPLAY)
        .set(PROCESSOR_REPLAY.RESET_AT, now())
        .set(PROCESSOR_REPLAY.END_POSITION, end)
        .where(PROCESSOR_REPLAY.PROCESSOR_NAME.eq(name))
        .execute();
    log.info("Processor {} reset for its replay (up to global index {})", name, end);
  }

  /** Starts this node's copy again; it stays marked until it has started (a failure retries). */
  private void restart(String name, StreamingEventProcessor processor) {
    log.info("Starting processor {} on this node again after its reset", name);
    processor.start();
    stoppedHere.remove(name);
  }

  private void finishIfDone(String name) {
    List<TokenTable.SegmentToken> segments = tokens.segments(name);
    if (segments.isEmpty() || segments.stream().anyMatch(TokenTable.SegmentToken::replaying)) {
      return;
    }
    int finished =
        db.update(PROCESSOR_REPLAY)
            .set(PROCESSOR_REPLAY.FINISHED_AT, now())
            .where(PROCESSOR_REPLAY.PROCESSOR_NAME.eq(name))
            .and(PROCESSOR_REPLAY.RESET_AT.isNotNull())
            .and(PROCESSOR_REPLAY.FINISHED_AT.isNull())
            .execute();
    if (finished == 1) {
      log.info("Replay of processor {} finished", name);
    }
  }

  /**
   * A failure for the log without its messages (they may quote SQL parameters): the types of its
   * cause chain, with a database error's SQLState.
   */
  static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null && text.length() < 400; t = t.getCause()) {
      if (!text.isEmpty()) {
        text.append(" <- ");
      }
      text.append(t.getClass().getName());
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        text.append(" [SQLState ").append(sql.getSQLState()).append(']');
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return text.toString();
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException failure) {
      // The database is down, or a processor refused: the next poll tries again.
      log.warn("Replay coordination failed this round: {}", describe(failure));
    }
  }

  @Override
  public void start() {
    poller =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "parley-replay-coordinator");
              thread.setDaemon(true);
              return thread;
            });
    long millis = pollInterval.toMillis();
    poller.scheduleWithFixedDelay(this::pollSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    poller = null;
  }

  @Override
  public boolean isRunning() {
    return poller != null;
  }

  /** A late phase: started after Axon's configuration (and its processors), stopped before it. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }
}
