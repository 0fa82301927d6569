package io.parley.ops.processor;

import io.parley.migrations.jooq.tables.records.ProcessorReplayRecord;
import io.parley.ops.processor.ProcessorView.SegmentView;
import io.parley.ops.processor.TokenTable.SegmentToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;

/**
 * Every event processor of this node with its segments as the token store shows them (so the same
 * on every node), the store's head, and the replay under way.
 */
public class ProcessorOverview {

  private final EventProcessingConfiguration processing;
  private final TokenTable tokens;
  private final ReplayCoordinator replays;
  private final Clock clock;

  public ProcessorOverview(
      EventProcessingConfiguration processing,
      TokenTable tokens,
      ReplayCoordinator replays,
      Clock clock) {
    this.processing = processing;
    this.tokens = tokens;
    this.replays = replays;
    this.clock = clock;
  }

  /** The processors in name order (ignoring case). */
  public List<ProcessorView> processors() {
    long head = tokens.head();
    Map<String, ProcessorReplayRecord> requested =
        replays.unfinished().stream()
            .collect(
                Collectors.toMap(ProcessorReplayRecord::getProcessorName, Function.identity()));
    return processing.eventProcessors().values().stream()
        .sorted(Comparator.comparing(EventProcessor::getName, String.CASE_INSENSITIVE_ORDER))
        .map(p -> view(p, head, requested.get(p.getName())))
        .toList();
  }

  private ProcessorView view(EventProcessor processor, long head, ProcessorReplayRecord requested) {
    String name = processor.getName();
    boolean saga = replays.isSaga(name);
    boolean replayable =
        !saga && processor instanceof StreamingEventProcessor s && s.supportsReset();
    Map<Integer, EventTrackerStatus> local =
        processor instanceof StreamingEventProcessor s ? s.processingStatus() : Map.of();
    List<SegmentToken> segments =
        processor instanceof StreamingEventProcessor ? tokens.segments(name) : List.of();
    return new ProcessorView(
        name,
        saga ? "saga" : "event-handler",
        replayable,
        segments.stream().map(s -> segment(s, head, local.get(s.segment()))).toList(),
        head,
        replay(segments, requested, head));
  }

  static SegmentView segment(SegmentToken token, long head, EventTrackerStatus localStatus) {
    long position = token.position();
    long lag = Math.max(0, head - position);
    String state;
    String error = null;
    if (localStatus != null && localStatus.isErrorState()) {
      state = "ERROR";
      error = localStatus.getError() == null ? null : localStatus.getError().getClass().getName();
    } else if (token.replaying()) {
      state = "REPLAYING";
    } else if (lag == 0) {
      state = "CAUGHT_UP";
    } else if (token.owner() == null) {
      state = "UNCLAIMED";
    } else {
      state = "PROCESSING";
    }
    return new SegmentView(token.segment(), token.owner(), position, lag, state, error);
  }

  /**
   * The replay under way: asked for and not reset yet (every node is stopping the processor), or
   * reset and some segment still holds a replay token (also a replay started outside the API, such
   * as a rebuild in code: then without a start time or ETA).
   */
  ReplayView replay(List<SegmentToken> segments, ProcessorReplayRecord requested, long head) {
    if (requested != null && requested.getResetAt() == null) {
      return new ReplayView(requested.getRequestedAt().toInstant(), -1, head, 0, null);
    }
    List<SegmentToken> replaying = segments.stream().filter(SegmentToken::replaying).toList();
    if (replaying.isEmpty()) {
      return null;
    }
    long end =
        requested != null && requested.getEndPosition() != null
            ? requested.getEndPosition()
            : replaying.stream().mapToLong(SegmentToken::replayEnd).max().orElse(-1);
    long position = segments.stream().mapToLong(SegmentToken::position).min().orElse(-1);
    Instant startedAt = requested == null ? null : requested.getResetAt().toInstant();
    return progress(startedAt, Math.min(position, end), end, clock.instant());
  }

  /** Progress and ETA of a replay from the start of the store to {@code end}. */
  static ReplayView progress(Instant startedAt, long position, long end, Instant now) {
    double progress = end <= 0 ? 0 : Math.max(0, Math.min(1, (double) position / end));
    Long eta = null;
    if (startedAt != null && position > 0) {
      double seconds = Duration.between(startedAt, now).toMillis() / 1000.0;
      if (seconds >= 1) {
        double eventsPerSecond = position / seconds;
        eta = (long) Math.ceil((end - position) / eventsPerSecond);
      }
    }
    return new ReplayView(startedAt, position, end, progress, eta);
  }
}
