-- The analytics projection's ledger of counted cards (query-side AnalyticsProjection, ADR 0015,
-- docs/analytics.md), private working state outside the analytics schema like
-- analytics_counted_message and analytics_counted_flag: a READY card is added to
-- analytics.card_daily only when its id is new here, so a redelivered CardGeneratedEvent counts
-- once. No user ids, no title or caption: the card's id, its UTC day and its rarity.
CREATE TABLE analytics_counted_card (
    card_id UUID NOT NULL,
    day     DATE NOT NULL,
    rarity  TEXT NOT NULL,
    CONSTRAINT analytics_counted_card_pk PRIMARY KEY (card_id)
);

REVOKE ALL ON analytics_counted_card FROM PUBLIC;
