package io.parley.api.card;

import java.util.List;

/** One page of cards; {@code nextBeforeNumber} is null on the last page. */
public record CardsPage(List<CardView> items, Long nextBeforeNumber) {}
