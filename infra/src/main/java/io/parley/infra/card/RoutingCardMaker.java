package io.parley.infra.card;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.card.CardContent;
import io.parley.api.card.CardFailureReason;
import io.parley.api.card.CardWindowMessage;
import io.parley.api.card.FindReusableCardQuery;
import io.parley.api.card.ProviderCall;
import io.parley.api.card.Rarity;
import io.parley.api.card.ReusableCard;
import io.parley.infra.card.provider.CardIllustrator;
import io.parley.infra.card.provider.CardWriting;
import io.parley.infra.card.provider.CardWritingRequest;
import io.parley.infra.card.provider.ExternalCardWriter;
import io.parley.saga.card.CardMaker;
import io.parley.saga.card.CardOrder;
import io.parley.saga.card.CardOutcome;
import io.parley.text.card.BuiltInCardGenerator;
import io.parley.text.card.CardArtwork;
import io.parley.text.card.CardRarity;
import io.parley.text.card.GeneratedCard;
import io.parley.text.card.WindowHash;
import io.parley.text.card.WindowMessage;
import io.parley.text.sentiment.Sentiment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses who makes a card, by configuration and consent (API.md "Conversation cards"):
 *
 * <ul>
 *   <li>with an external provider configured and at least one window message whose sender also
 *       granted AI_PROCESSING, the provider writes sentiment, title and caption from those messages
 *       only (authors as pseudonyms), unless the provenance ledger already holds its answer for an
 *       identical window (same hash, provider and model), which is reused without a call; rarity
 *       and artwork are always Parley's own rule;
 *   <li>otherwise — or when the provider gives no usable answer and {@code parley.cards.fallback}
 *       is {@code builtin} — the built-in generator makes it from every qualifying message.
 * </ul>
 */
public class RoutingCardMaker implements CardMaker, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RoutingCardMaker.class);

  private final BuiltInCardGenerator builtIn;
  private final Optional<ExternalCardWriter> external;
  private final CardProperties.Fallback fallback;
  private final QueryGateway queries;
  private final Executor executor;
  private final MeterRegistry meters;
  private final Optional<Pictures> pictures;

  /** Drawing pictures for the cards the provider writes: the illustrator, its store, its thread. */
  public record Pictures(CardIllustrator illustrator, CardPictureStore store, Executor executor) {}

  public RoutingCardMaker(
      BuiltInCardGenerator builtIn,
      Optional<ExternalCardWriter> external,
      CardProperties.Fallback fallback,
      QueryGateway queries,
      Executor executor,
      MeterRegistry meters,
      Optional<Pictures> pictures) {
    this.builtIn = builtIn;
    this.external = external;
    this.fallback = fallback;
    this.queries = queries;
    this.executor = executor;
    this.meters = meters;
    this.pictures = pictures;
  }

  @Override
  public CompletableFuture<CardOutcome> make(CardOrder order) {
    List<CardWindowMessage> consenting =
        order.messages().stream().filter(CardWindowMessage::aiProcessing).toList();
    CompletableFuture<CardOutcome> outcome =
        external.isPresent() && !consenting.isEmpty()
            ? CompletableFuture.supplyAsync(() -> ProviderWindow.of(consenting), executor)
                .thenCompose(
                    window ->
                        reusableAnswer(window)
                            .map(CompletableFuture::completedFuture)
                            .orElseGet(() -> byProvider(order, window)))
            : CompletableFuture.supplyAsync(
                () -> builtIn(order.messages(), null, List.of()), executor);
    return outcome.exceptionally(
        failure -> {
          log.error(
              "Card {} could not be made: {}", order.cardId(), failure.getClass().getSimpleName());
          return new CardOutcome.Failed(CardFailureReason.PROVIDER_FAILED, List.of());
        });
  }

  /** The messages an external provider may see, and their window and its hash, computed once. */
  private record ProviderWindow(
      List<CardWindowMessage> messages, List<WindowMessage> window, byte[] hash) {
    static ProviderWindow of(List<CardWindowMessage> messages) {
      List<WindowMessage> window = RoutingCardMaker.window(messages);
      return new ProviderWindow(messages, window, WindowHash.sha256(window));
    }

    String hashHex() {
      return HexFormat.of().formatHex(hash);
    }
  }

  private Optional<CardOutcome> reusableAnswer(ProviderWindow forProvider) {
    ExternalCardWriter writer = external.orElseThrow();
    Optional<ReusableCard> earlier =
        queries
            .query(
                new FindReusableCardQuery(forProvider.hashHex(), writer.provider(), writer.model()),
                ResponseTypes.optionalInstanceOf(ReusableCard.class))
            .join();
    return earlier.map(
        card -> {
          meters.counter("parley.cards.reused", "provider", writer.provider()).increment();
          return written(
              forProvider,
              Sentiment.of(card.polarity(), card.confidence()),
              card.title(),
              card.caption(),
              card.cardId(),
              List.of());
        });
  }

  /** Stops the threads it was given (cards in flight end by their saga's timeout). */
  @Override
  public void close() {
    if (executor instanceof java.util.concurrent.ExecutorService service) {
      service.shutdown();
    }
    pictures.ifPresent(
        p -> {
          if (p.executor() instanceof java.util.concurrent.ExecutorService service) {
            service.shutdown();
          }
        });
  }

  private CompletableFuture<CardOutcome> byProvider(CardOrder order, ProviderWindow forProvider) {
    ExternalCardWriter writer = external.orElseThrow();
    return writer
        .write(new CardWritingRequest(order.cardId(), pseudonymous(forProvider.messages())))
        .thenComposeAsync(writing -> withPicture(order.cardId(), writing), executor)
        .thenApplyAsync(
            writing -> {
              if (writing instanceof CardWriting.Written answer) {
                return written(
                    forProvider,
                    Sentiment.of(answer.polarity(), answer.confidence()),
                    answer.title(),
                    answer.caption(),
                    null,
                    answer.calls());
              }
              CardWriting.NotWritten failed = (CardWriting.NotWritten) writing;
              meters
                  .counter(
                      "parley.cards.fallbacks",
                      "provider",
                      writer.provider(),
                      "reason",
                      failed.reason().name(),
                      "fallback",
                      fallback.name().toLowerCase(java.util.Locale.ROOT))
                  .increment();
              if (fallback == CardProperties.Fallback.FAIL) {
                return new CardOutcome.Failed(CardFailureReason.PROVIDER_FAILED, failed.calls());
              }
              return builtIn(order.messages(), failed.reason().name(), failed.calls());
            },
            executor);
  }

  /**
   * A written card gets its picture drawn (when pictures are on) and kept before it is recorded;
   * the drawing's call joins the card's ledger. A card without a picture is still a card.
   */
  private CompletableFuture<CardWriting> withPicture(UUID cardId, CardWriting writing) {
    if (pictures.isEmpty() || !(writing instanceof CardWriting.Written written)) {
      return CompletableFuture.completedFuture(writing);
    }
    Pictures drawing = pictures.get();
    return CompletableFuture.supplyAsync(
        () -> {
          CardIllustrator.Drawing drawn =
              drawing.illustrator().draw(written.title(), written.caption());
          drawn.picture().ifPresent(picture -> drawing.store().save(cardId, picture));
          List<ProviderCall> calls = new ArrayList<>(written.calls());
          calls.add(drawn.call());
          return new CardWriting.Written(
              written.polarity(), written.confidence(), written.title(), written.caption(), calls);
        },
        drawing.executor());
  }

  private CardOutcome builtIn(
      List<CardWindowMessage> messages, String fallbackReason, List<ProviderCall> calls) {
    List<WindowMessage> window = window(messages);
    GeneratedCard card = builtIn.generate(window);
    return new CardOutcome.Made(
        new CardContent(
            card.rarity(),
            card.sentiment().polarity(),
            card.sentiment().confidence(),
            card.title(),
            card.caption(),
            contributors(messages),
            messages.size(),
            WindowHash.sha256Hex(window),
            card.svg(),
            BuiltInCardGenerator.NAME,
            null,
            fallbackReason,
            null),
        calls);
  }

  /** A card the provider wrote (or wrote earlier): rarity and artwork are Parley's own rule. */
  private CardOutcome written(
      ProviderWindow forProvider,
      Sentiment sentiment,
      String title,
      String caption,
      UUID reusedFrom,
      List<ProviderCall> calls) {
    ExternalCardWriter writer = external.orElseThrow();
    Rarity rarity = CardRarity.of(sentiment, forProvider.window());
    return new CardOutcome.Made(
        new CardContent(
            rarity,
            sentiment.polarity(),
            sentiment.confidence(),
            title,
            caption,
            contributors(forProvider.messages()),
            forProvider.messages().size(),
            forProvider.hashHex(),
            CardArtwork.render(rarity, sentiment, forProvider.hash()),
            writer.provider(),
            writer.model(),
            null,
            reusedFrom),
        calls);
  }

  private static List<WindowMessage> window(List<CardWindowMessage> messages) {
    List<WindowMessage> window = new ArrayList<>(messages.size());
    for (CardWindowMessage message : messages) {
      window.add(new WindowMessage(message.senderId(), message.text()));
    }
    return window;
  }

  private static List<String> contributors(List<CardWindowMessage> messages) {
    TreeSet<String> senders = new TreeSet<>();
    for (CardWindowMessage message : messages) {
      senders.add(message.senderId());
    }
    return List.copyOf(senders);
  }

  /** The provider sees authors as A, B, … in order of first appearance, never user ids. */
  static List<CardWritingRequest.Line> pseudonymous(List<CardWindowMessage> messages) {
    Map<String, String> pseudonyms = new LinkedHashMap<>();
    List<CardWritingRequest.Line> lines = new ArrayList<>(messages.size());
    for (CardWindowMessage message : messages) {
      String author =
          pseudonyms.computeIfAbsent(message.senderId(), id -> pseudonym(pseudonyms.size()));
      lines.add(new CardWritingRequest.Line(author, message.text()));
    }
    return lines;
  }

  /** 0 → A, 25 → Z, 26 → AA, … */
  static String pseudonym(int index) {
    StringBuilder name = new StringBuilder();
    int n = index;
    do {
      name.insert(0, (char) ('A' + n % 26));
      n = n / 26 - 1;
    } while (n >= 0);
    return name.toString();
  }
}
