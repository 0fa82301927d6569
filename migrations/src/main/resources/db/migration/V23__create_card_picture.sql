-- Pictures external providers drew for cards (parley.cards.provider.images), served inside the
-- card's artwork as data: URIs, never hot-linked. Written by infra's card maker before the card is
-- recorded READY; not a projection (a replay cannot recreate it: nobody calls a provider again),
-- so resetting the cards projection leaves it. Drawn from a card's title and caption, it is
-- personal data of every contributor: the cards projection deletes it on any contributor's erasure
-- and when the card's text expires.
CREATE TABLE card_picture (
    card_id     UUID          NOT NULL,
    media_type  VARCHAR(32)   NOT NULL,
    bytes       BYTEA         NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL,
    CONSTRAINT card_picture_pk PRIMARY KEY (card_id)
);
