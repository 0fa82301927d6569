package io.parley.api.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class CardPictureTest {

  static final byte[] PNG =
      Base64.getDecoder()
          .decode(
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

  static final String ARTWORK =
      "<svg xmlns=\"http://www.w3.org/2000/svg\"><g>" + CardPicture.SLOT + "</g></svg>";

  @Test
  void embed_putsThePictureInTheSlot_asADataUri() {
    String svg = CardPicture.embed(ARTWORK, "image/png", PNG);
    assertThat(svg)
        .doesNotContain(CardPicture.SLOT)
        .contains("<image x=\"24\" y=\"56\" width=\"252\" height=\"256\"")
        .contains("href=\"data:image/png;base64," + Base64.getEncoder().encodeToString(PNG) + "\"")
        .startsWith("<svg")
        .endsWith("</g></svg>");
  }

  @Test
  void embed_leavesArtworkWithoutASlot_orAPictureOfAnotherType_asItIs() {
    String old = "<svg xmlns=\"http://www.w3.org/2000/svg\"><g></g></svg>";
    assertThat(CardPicture.embed(old, "image/png", PNG)).isEqualTo(old);
    assertThat(CardPicture.embed(ARTWORK, "image/svg+xml", PNG)).isEqualTo(ARTWORK);
    assertThat(CardPicture.embed(ARTWORK, "text/html", PNG)).isEqualTo(ARTWORK);
    assertThat(CardPicture.embed(ARTWORK, "image/png", new byte[CardPicture.MAX_BYTES + 1]))
        .isEqualTo(ARTWORK);
  }

  @Test
  void mediaTypeOf_readsTheMagicNumber_andRefusesAnythingElse() {
    assertThat(CardPicture.mediaTypeOf(PNG)).isEqualTo("image/png");
    assertThat(CardPicture.mediaTypeOf(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0}))
        .isEqualTo("image/jpeg");
    assertThat(CardPicture.mediaTypeOf("RIFF\0\0\0\0WEBPVP8 ".getBytes())).isEqualTo("image/webp");
    assertThat(CardPicture.mediaTypeOf("<svg onload=alert(1)>".getBytes())).isNull();
    assertThat(CardPicture.mediaTypeOf("GIF89a".getBytes())).isNull();
    assertThat(CardPicture.mediaTypeOf(new byte[0])).isNull();
  }
}
