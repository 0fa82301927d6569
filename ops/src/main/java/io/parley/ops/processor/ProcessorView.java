package io.parley.ops.processor;

import java.util.List;

/**
 * One event processor as API.md's {@code GET /api/v1/ops/processors} shows it.
 *
 * @param type {@code saga} (a saga processor: never replayed) or {@code event-handler}
 *     (projections, the audit chain, the Kafka publisher)
 * @param replayable whether {@code POST …/replay} may rebuild it: a streaming processor on this
 *     node whose handlers support a reset
 * @param head the store's head: the global index of the newest event
 * @param replay the running (or starting) replay; null when none
 */
public record ProcessorView(
    String name,
    String type,
    boolean replayable,
    List<SegmentView> segments,
    long head,
    ReplayView replay) {

  /**
   * One segment.
   *
   * @param owner the node holding the segment (Axon's token owner, {@code parley.node-id}); null
   *     when no node does
   * @param position the last global index the segment handled (-1: none)
   * @param lag stored events after {@code position}: {@code head - position}
   * @param state {@code REPLAYING}, {@code CAUGHT_UP}, {@code PROCESSING} (behind, claimed), {@code
   *     UNCLAIMED} (behind, no node holds it) or {@code ERROR} (its node's last batch failed)
   * @param error the failure's exception type when {@code ERROR}, else null (never its message: it
   *     may quote personal data)
   */
  public record SegmentView(
      int segment, String owner, long position, long lag, String state, String error) {}
}
