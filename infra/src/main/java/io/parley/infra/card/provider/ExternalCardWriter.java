package io.parley.infra.card.provider;

import java.util.concurrent.CompletableFuture;

/**
 * An external AI provider that writes a card's sentiment, title and caption from the messages its
 * participants allowed it to see. Implementations batch pending cards into one call where they can,
 * limit their rate, retry transient failures and break the circuit on persistent ones; every call
 * they make (every attempt) is reported in the result, for the provenance ledger.
 *
 * <p>The returned future always completes normally, with {@link CardWriting.Written} or {@link
 * CardWriting.NotWritten}; it never carries an exception.
 */
public interface ExternalCardWriter {

  /** The provider's configured name (recorded on the card and its ledger entries). */
  String provider();

  /** The model asked. */
  String model();

  /** Writes one card; completes when its batch's call (and retries) ended. */
  CompletableFuture<CardWriting> write(CardWritingRequest request);
}
