/**
 * The operations console (API.md "Operations", role OPS): every event processor with its segments,
 * lag and replay ({@code io.parley.ops.processor}), saga types and instances ({@code
 * io.parley.ops.saga}), dead letters of projections and sagas ({@code io.parley.ops.deadletter}),
 * and the static {@code /ops} page that shows them. Built on Axon's own interfaces: {@code
 * EventProcessingConfiguration}, {@code StreamingEventProcessor}, the token store, the saga store
 * and {@code SequencedDeadLetterQueue}.
 */
package io.parley.ops;
