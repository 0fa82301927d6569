package io.parley.ops.processor;

import java.time.Instant;

/**
 * A processor's replay in progress.
 *
 * @param startedAt when its tokens were reset (while nodes are still stopping the processor: when
 *     it was asked for)
 * @param position the slowest segment's position: every event up to it has been handled again
 * @param head where the replay ends: the store's head when the tokens were reset
 * @param progress {@code position / head}, 0..1
 * @param etaSeconds seconds left at the rate observed since {@code startedAt}; null until a rate is
 *     known
 */
public record ReplayView(
    Instant startedAt, long position, long head, double progress, Long etaSeconds) {}
