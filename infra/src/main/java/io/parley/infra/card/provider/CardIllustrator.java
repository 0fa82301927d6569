package io.parley.infra.card.provider;

import dev.langchain4j.data.image.Image;
import dev.langchain4j.model.image.ImageModel;
import dev.langchain4j.model.openai.OpenAiImageModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.api.card.CardPicture;
import io.parley.api.card.ProviderCall;
import io.parley.api.card.ProviderCallOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws a card's picture with the provider's image model (one call, no retry: a card without a
 * picture is still a card), from the title and caption the provider wrote — words drawn from the
 * messages of participants who granted AI_PROCESSING, so nobody else's. An answer given as a URL is
 * downloaded once, here, and never linked to. The bytes must be a PNG, JPEG or WebP of at most
 * {@link CardPicture#MAX_BYTES}. The call is reported for the provenance ledger like a card call;
 * never the prompt or the picture.
 */
public class CardIllustrator {

  /** A picture (when one was drawn) and the call that asked for it. */
  public record Drawing(Optional<Picture> picture, ProviderCall call) {}

  /** The picture's media type and bytes. */
  public record Picture(String mediaType, byte[] bytes) {
    @Override
    public String toString() {
      return "Picture[" + mediaType + ", " + bytes.length + " bytes]";
    }
  }

  private static final Logger log = LoggerFactory.getLogger(CardIllustrator.class);

  private final ImageModel model;
  private final String provider;
  private final String modelName;
  private final Duration timeout;
  private final MeterRegistry meters;
  private final Clock clock;
  private final HttpClient download;

  public CardIllustrator(
      CardProviderProperties provider, CardPictureProperties pictures, MeterRegistry meters) {
    this(
        OpenAiImageModel.builder()
            .baseUrl(provider.baseUrl())
            .apiKey(provider.apiKey())
            .modelName(pictures.imageModel())
            .size(pictures.imageSize())
            .timeout(pictures.imageTimeout())
            .maxRetries(0)
            .logRequests(false)
            .logResponses(false)
            .build(),
        provider.name(),
        pictures.imageModel(),
        pictures.imageTimeout(),
        meters,
        Clock.systemUTC());
  }

  CardIllustrator(
      ImageModel model,
      String provider,
      String modelName,
      Duration timeout,
      MeterRegistry meters,
      Clock clock) {
    this.model = model;
    this.provider = provider;
    this.modelName = modelName;
    this.timeout = timeout;
    this.meters = meters;
    this.clock = clock;
    this.download =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The prompt of a card's picture: its title and caption, and no lettering in the picture. */
  static String prompt(String title, String caption) {
    return "An illustration for a collectible card, without any text or lettering. Title: "
        + title
        + ". Caption: "
        + caption;
  }

  /** Draws the picture of a card; never throws. */
  public Drawing draw(String title, String caption) {
    String prompt = prompt(title, caption);
    Instant calledAt = clock.instant();
    long started = System.nanoTime();
    ProviderCallOutcome outcome;
    Optional<Picture> picture = Optional.empty();
    try {
      Image image = model.generate(prompt).content();
      byte[] bytes = bytesOf(image);
      String mediaType = bytes == null ? null : CardPicture.mediaTypeOf(bytes);
      if (mediaType == null || bytes.length > CardPicture.MAX_BYTES) {
        outcome = ProviderCallOutcome.MALFORMED_RESPONSE;
      } else {
        outcome = ProviderCallOutcome.SUCCESS;
        picture = Optional.of(new Picture(mediaType, bytes));
      }
    } catch (RuntimeException e) {
      outcome = OpenAiCardWriter.classify(e).outcome;
      log.warn(
          "Card provider {}: a picture was not drawn ({}, {})",
          provider,
          outcome,
          e.getClass().getSimpleName());
    }
    long latency = Duration.ofNanos(System.nanoTime() - started).toMillis();
    Timer.builder(OpenAiCardWriter.LATENCY_METER)
        .tags("provider", provider, "outcome", outcome.name())
        .register(meters)
        .record(Duration.ofMillis(latency));
    meters
        .counter(OpenAiCardWriter.CALLS_METER, "provider", provider, "outcome", outcome.name())
        .increment();
    return new Drawing(
        picture,
        new ProviderCall(
            UUID.randomUUID(),
            provider,
            modelName,
            CardPrompt.sha256(prompt),
            latency,
            outcome,
            0,
            0,
            1,
            calledAt));
  }

  private byte[] bytesOf(Image image) {
    if (image == null) {
      return null;
    }
    if (image.base64Data() != null) {
      try {
        return Base64.getDecoder().decode(image.base64Data());
      } catch (IllegalArgumentException malformed) {
        return null;
      }
    }
    URI url = image.url();
    boolean web =
        url != null
            && ("https".equalsIgnoreCase(url.getScheme())
                || "http".equalsIgnoreCase(url.getScheme()));
    return web ? downloaded(url) : null;
  }

  /** An answer given as a URL is fetched once (bounded), so the artwork never links to it. */
  private byte[] downloaded(URI url) {
    try {
      HttpResponse<byte[]> response =
          download.send(
              HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
