package io.parley.infra.card.provider;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Pictures from the external provider ({@code parley.cards.provider.images}, off by default): for
 * each card the provider wrote, one image generation call (OpenAI's images API; vLLM and Ollama do
 * not offer one) from the card's title and caption. The picture is kept as bytes in PostgreSQL and
 * served inside the card's artwork, never hot-linked.
 *
 * @param images whether to ask for a picture
 * @param imageModel the image model ({@code gpt-image-1}, {@code dall-e-3}, …)
 * @param imageSize the size asked for
 * @param imageTimeout the bound of the one attempt (no retry: a card without a picture is fine)
 */
@ConfigurationProperties("parley.cards.provider")
public record CardPictureProperties(
    @DefaultValue("false") boolean images,
    @DefaultValue("gpt-image-1") String imageModel,
    @DefaultValue("1024x1024") String imageSize,
    @DefaultValue("PT60S") Duration imageTimeout) {}
