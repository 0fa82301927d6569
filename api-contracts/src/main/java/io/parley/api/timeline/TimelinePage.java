package io.parley.api.timeline;

import java.util.List;

/** One page; {@code nextBeforePosition} is null on the last page. */
public record TimelinePage(List<TimelineMessageView> items, Long nextBeforePosition) {}
