package io.parley.api.moderation;

import java.util.List;

/** One page of the queue; {@code nextAfterSequence} is null on the last page. */
public record FlagsPage(List<FlagView> items, Long nextAfterSequence) {}
