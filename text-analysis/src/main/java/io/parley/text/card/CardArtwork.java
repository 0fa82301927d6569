package io.parley.text.card;

import io.parley.api.card.CardPicture;
import io.parley.api.card.Rarity;
import io.parley.text.sentiment.Sentiment;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A card's artwork: a self-contained SVG document (viewBox {@value #WIDTH}×{@value #HEIGHT}) drawn
 * from the rarity, the sentiment and the window's SHA-256, and nothing else: it carries no text of
 * the conversation, so it holds no personal data and needs no erasure.
 *
 * <ul>
 *   <li><b>Background</b>: a vertical gradient whose hue follows the polarity (violet for negative,
 *       teal for neutral, amber for positive), shifted a little by the hash; its saturation grows
 *       with the confidence.
 *   <li><b>Pattern</b>: {@value #SHAPES} shapes in the art window, each placed, sized, turned and
 *       tinted by bytes of the hash; positive cards lean to circles, negative ones to triangles,
 *       neutral ones to squares.
 *   <li><b>Frame</b> by rarity: COMMON a plain grey border; RARE a blue double border; EPIC a
 *       purple one with diamonds in the corners; LEGENDARY a gold gradient border, stars in the
 *       corners and a glow behind the art.
 *   <li><b>Footer</b>: the rarity's name and 1–4 gems, and a meter from negative (red) to positive
 *       (green) with a marker at the polarity, as opaque as the confidence.
 * </ul>
 *
 * Safe to serve as {@code image/svg+xml}: well-formed XML, no script, no event-handler attribute,
 * no {@code foreignObject}, and no reference outside the document (only {@code url(#id)} to its own
 * gradients and clip path). Every id carries a prefix from the hash, so several cards can be
 * inlined in one page. Deterministic: the same inputs give the same bytes.
 */
public final class CardArtwork {

  static final int WIDTH = 300;
  static final int HEIGHT = 420;
  static final int SHAPES = 16;

  private CardArtwork() {}

  /** The artwork of a card. {@code windowHash} is the window's SHA-256 ({@link WindowHash}). */
  public static String render(Rarity rarity, Sentiment sentiment, byte[] windowHash) {
    Objects.requireNonNull(rarity, "rarity");
    Objects.requireNonNull(sentiment, "sentiment");
    if (windowHash == null || windowHash.length < 32) {
      throw new IllegalArgumentException("windowHash is a SHA-256 (32 bytes)");
    }
    Bytes hash = new Bytes(windowHash);
    String id = "card-" + HexFormat.of().formatHex(windowHash, 0, 4);
    double polarity = sentiment.polarity();
    double confidence = sentiment.confidence();
    double hue = hueOf(polarity) + (hash.next() % 31 - 15);
    double saturation = 0.30 + 0.50 * confidence;
    String top = hsl(hue, saturation, 0.58);
    String bottom = hsl(hue - 25 - hash.next() % 20, saturation, 0.24);
    String shapeBase = hsl(hue - 20, Math.min(1, saturation + 0.1), 0.72);

    StringBuilder svg = new StringBuilder(4096);
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"")
        .append(escape(label(rarity) + " card, " + mood(polarity)))
        .append("\">");
    svg.append("<defs>");
    gradient(svg, id + "-bg", top, bottom, true);
    gradient(svg, id + "-meter", "#c0392b", "#27ae60", false);
    if (rarity == Rarity.LEGENDARY) {
      svg.append("<linearGradient id=\"")
          .append(id)
          .append("-gold\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\">")
          .append("<stop offset=\"0\" stop-color=\"#fff4b8\"/>")
          .append("<stop offset=\"0.5\" stop-color=\"#d4a017\"/>")
          .append("<stop offset=\"1\" stop-color=\"#fff4b8\"/></linearGradient>");
      svg.append("<radialGradient id=\"")
          .append(id)
          .append("-glow\">")
          .append("<stop offset=\"0\" stop-color=\"#fff8d0\" stop-opacity=\"0.9\"/>")
          .append(
              "<stop offset=\"1\" stop-color=\"#fff8d0\" stop-opacity=\"0\"/></radialGradient>");
    }
    svg.append("<clipPath id=\"")
        .append(id)
        .append("-art\">")
        .append("<rect x=\"24\" y=\"56\" width=\"252\" height=\"256\" rx=\"10\"/></clipPath>");
    svg.append("</defs>");

    // Card body and art window.
    svg.append("<rect x=\"0\" y=\"0\" width=\"300\" height=\"420\" rx=\"18\" fill=\"#1b1d23\"/>");
    svg.append("<rect x=\"8\" y=\"8\" width=\"284\" height=\"404\" rx=\"14\" fill=\"url(#")
        .append(id)
        .append("-bg)\"/>");
    svg.append("<g clip-path=\"url(#").append(id).append("-art)\">");
    svg.append("<rect x=\"24\" y=\"56\" width=\"252\" height=\"256\" fill=\"")
        .append(bottom)
        .append("\" fill-opacity=\"0.35\"/>");
    if (rarity == Rarity.LEGENDARY) {
      svg.append("<circle cx=\"150\" cy=\"184\" r=\"150\" fill=\"url(#")
          .append(id)
          .append("-glow)\"/>");
    }
    for (int i = 0; i < SHAPES; i++) {
      shape(svg, hash, polarity, hue, saturation, shapeBase);
    }
    svg.append(CardPicture.SLOT); // an external provider's picture, if any, goes here on read
    svg.append("</g>");
    svg.append("<rect x=\"24\" y=\"56\" width=\"252\" height=\"256\" rx=\"10\" fill=\"none\" ")
        .append("stroke=\"#ffffff\" stroke-opacity=\"0.5\" stroke-width=\"2\"/>");

    frame(svg, rarity, id);

    // Header band: rarity name and gems.
    svg.append(
        "<rect x=\"24\" y=\"18\" width=\"252\" height=\"30\" rx=\"8\" fill=\"#000000\" fill-opacity=\"0.35\"/>");
    svg.append(
            "<text x=\"36\" y=\"39\" font-family=\"sans-serif\" font-size=\"15\" font-weight=\"bold\" ")
        .append("letter-spacing=\"2\" fill=\"")
        .append(accent(rarity))
        .append("\">")
        .append(escape(label(rarity)))
        .append("</text>");
    int gems = rarity.ordinal() + 1;
    for (int g = 0; g < gems; g++) {
      double cx = 262 - g * 16;
      svg.append("<polygon points=\"")
          .append(fmt(cx))
          .append(",26 ")
          .append(fmt(cx + 6))
          .append(",33 ")
          .append(fmt(cx))
          .append(",40 ")
          .append(fmt(cx - 6))
          .append(",33\" fill=\"")
          .append(accent(rarity))
          .append("\"/>");
    }

    // Footer: mood and the polarity meter.
    svg.append(
        "<rect x=\"24\" y=\"324\" width=\"252\" height=\"76\" rx=\"8\" fill=\"#000000\" fill-opacity=\"0.35\"/>");
    svg.append(
            "<text x=\"150\" y=\"350\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"14\" fill=\"#ffffff\">")
        .append(escape(mood(polarity)))
        .append("</text>");
    svg.append("<rect x=\"44\" y=\"364\" width=\"212\" height=\"8\" rx=\"4\" fill=\"url(#")
        .append(id)
        .append("-meter)\"/>");
    double marker = 150 + polarity * 106;
    svg.append("<circle cx=\"")
        .append(fmt(marker))
        .append(
            "\" cy=\"368\" r=\"7\" fill=\"#ffffff\" stroke=\"#1b1d23\" stroke-width=\"2\" fill-opacity=\"")
        .append(fmt(0.35 + 0.65 * confidence))
        .append("\"/>");
    svg.append(
            "<text x=\"150\" y=\"392\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"10\" fill=\"#dddddd\">")
        .append(
            escape(
                String.format(
                    Locale.ROOT, "polarity %+.2f · confidence %.2f", polarity, confidence)))
        .append("</text>");
    svg.append("</svg>");
    return svg.toString();
  }

  /**
   * Polarity −1..1 to a hue: −1 violet (265), 0 teal (190), +1 amber (40), along the square root of
   * |polarity| so that a clearly felt window is already well into its colour.
   */
  static double hueOf(double polarity) {
    double reach = Math.sqrt(Math.abs(polarity));
    return polarity >= 0 ? 190 - 150 * reach : 190 + 75 * reach;
  }

  static String mood(double polarity) {
    if (polarity >= 0.6) {
      return "Radiant";
    } else if (polarity >= 0.1) {
      return "Warm";
    } else if (polarity > -0.1) {
      return "Calm";
    } else if (polarity > -0.6) {
      return "Stormy";
    }
    return "Thunderous";
  }

  static String label(Rarity rarity) {
    return rarity.name();
  }

  private static String accent(Rarity rarity) {
    return switch (rarity) {
      case COMMON -> "#c9ced6";
      case RARE -> "#7fb6ff";
      case EPIC -> "#d2a8ff";
      case LEGENDARY -> "#ffd866";
    };
  }

  private static void frame(StringBuilder svg, Rarity rarity, String id) {
    switch (rarity) {
      case COMMON ->
          svg.append(
              "<rect x=\"4\" y=\"4\" width=\"292\" height=\"412\" rx=\"16\" fill=\"none\" stroke=\"#8a8f98\" stroke-width=\"8\"/>");
      case RARE -> {
        svg.append(
            "<rect x=\"4\" y=\"4\" width=\"292\" height=\"412\" rx=\"16\" fill=\"none\" stroke=\"#2f7de1\" stroke-width=\"8\"/>");
        svg.append(
            "<rect x=\"12\" y=\"12\" width=\"276\" height=\"396\" rx=\"12\" fill=\"none\" stroke=\"#9cc7ff\" stroke-width=\"2\"/>");
      }
      case EPIC -> {
        svg.append(
            "<rect x=\"5\" y=\"5\" width=\"290\" height=\"410\" rx=\"16\" fill=\"none\" stroke=\"#8b3fd9\" stroke-width=\"10\"/>");
        svg.append(
            "<rect x=\"13\" y=\"13\" width=\"274\" height=\"394\" rx=\"12\" fill=\"none\" stroke=\"#d7b4ff\" stroke-width=\"2\"/>");
        for (int[] c : corners()) {
          svg.append("<polygon points=\"")
              .append(c[0])
              .append(',')
              .append(c[1] - 9)
              .append(' ')
              .append(c[0] + 9)
              .append(',')
              .append(c[1])
              .append(' ')
              .append(c[0])
              .append(',')
              .append(c[1] + 9)
              .append(' ')
              .append(c[0] - 9)
              .append(',')
              .append(c[1])
              .append("\" fill=\"#d7b4ff\" stroke=\"#8b3fd9\" stroke-width=\"2\"/>");
        }
      }
      case LEGENDARY -> {
        svg.append(
                "<rect x=\"6\" y=\"6\" width=\"288\" height=\"408\" rx=\"16\" fill=\"none\" stroke=\"url(#")
            .append(id)
            .append("-gold)\" stroke-width=\"12\"/>");
        svg.append(
            "<rect x=\"15\" y=\"15\" width=\"270\" height=\"390\" rx=\"12\" fill=\"none\" stroke=\"#fff4b8\" stroke-width=\"2\"/>");
        for (int[] c : corners()) {
          svg.append("<polygon points=\"")
              .append(star(c[0], c[1], 12, 5))
              .append("\" fill=\"#ffd866\" stroke=\"#8a6a00\" stroke-width=\"1.5\"/>");
        }
      }
    }
  }

  private static int[][] corners() {
    return new int[][] {{14, 14}, {286, 14}, {14, 406}, {286, 406}};
  }

  private static void shape(
      StringBuilder svg, Bytes hash, double polarity, double hue, double saturation, String base) {
    int kindByte = hash.next();
    int x = 24 + hash.next() * 252 / 255;
    int y = 56 + hash.next() * 256 / 255;
    int size = 10 + hash.next() % 46;
    double opacity = 0.18 + (hash.next() % 50) / 100.0;
    int angle = hash.next() * 360 / 256;
    String fill =
        (hash.next() % 3 == 0) ? base : hsl(hue + (hash.next() % 90) - 45, saturation, 0.66);
    int kind = kindOf(kindByte, polarity);
    String common = "\" fill=\"" + fill + "\" fill-opacity=\"" + fmt(opacity) + "\"";
    switch (kind) {
      case 0 ->
          svg.append("<circle cx=\"")
              .append(x)
              .append("\" cy=\"")
              .append(y)
              .append("\" r=\"")
              .append(size / 2)
              .append(common)
              .append("/>");
      case 1 ->
          svg.append("<rect x=\"")
              .append(x - size / 2)
              .append("\" y=\"")
              .append(y - size / 2)
              .append("\" width=\"")
              .append(size)
              .append("\" height=\"")
              .append(size)
              .append("\" transform=\"rotate(")
              .append(angle)
              .append(' ')
              .append(x)
              .append(' ')
              .append(y)
              .append(")")
              .append(common)
              .append("/>");
      default -> {
        StringBuilder points = new StringBuilder();
        for (int k = 0; k < 3; k++) {
          double a = Math.toRadians(angle + k * 120);
          if (k > 0) {
            points.append(' ');
          }
          points
              .append(fmt(x + size * 0.6 * Math.cos(a)))
              .append(',')
              .append(fmt(y + size * 0.6 * Math.sin(a)));
        }
        svg.append("<polygon points=\"").append(points).append(common).append("/>");
      }
    }
  }

  /** 0 circle, 1 square, 2 triangle: the polarity's own shape 60 % of the time, the others 20 %. */
  private static int kindOf(int hashByte, double polarity) {
    int favourite = polarity >= 0.1 ? 0 : polarity <= -0.1 ? 2 : 1;
    int roll = hashByte % 10;
    if (roll < 6) {
      return favourite;
    }
    return (favourite + (roll < 8 ? 1 : 2)) % 3;
  }

  private static String star(double cx, double cy, double outer, int points) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < points * 2; k++) {
      double r = k % 2 == 0 ? outer : outer * 0.45;
      double a = Math.toRadians(-90 + k * 180.0 / points);
      if (k > 0) {
        out.append(' ');
      }
      out.append(fmt(cx + r * Math.cos(a))).append(',').append(fmt(cy + r * Math.sin(a)));
    }
    return out.toString();
  }

  private static void gradient(
      StringBuilder svg, String id, String from, String to, boolean vertical) {
    svg.append("<linearGradient id=\"")
        .append(id)
        .append("\" x1=\"0\" y1=\"0\" x2=\"")
        .append(vertical ? "0" : "1")
        .append("\" y2=\"")
        .append(vertical ? "1" : "0")
        .append("\">")
        .append("<stop offset=\"0\" stop-color=\"")
        .append(from)
        .append("\"/>");
    if (!vertical) {
      svg.append("<stop offset=\"0.5\" stop-color=\"#95a5a6\"/>");
    }
    svg.append("<stop offset=\"1\" stop-color=\"").append(to).append("\"/></linearGradient>");
  }

  /** An HSL colour (hue in degrees, saturation and lightness 0..1) as {@code #rrggbb}. */
  static String hsl(double hue, double saturation, double lightness) {
    double h = ((hue % 360) + 360) % 360 / 360.0;
    double s = Math.max(0, Math.min(1, saturation));
    double l = Math.max(0, Math.min(1, lightness));
    double q = l < 0.5 ? l * (1 + s) : l + s - l * s;
    double p = 2 * l - q;
    int r = (int) Math.round(255 * channel(p, q, h + 1 / 3.0));
    int g = (int) Math.round(255 * channel(p, q, h));
    int b = (int) Math.round(255 * channel(p, q, h - 1 / 3.0));
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  private static double channel(double p, double q, double t) {
    if (t < 0) {
      t += 1;
    }
    if (t > 1) {
      t -= 1;
    }
    if (t < 1 / 6.0) {
      return p + (q - p) * 6 * t;
    }
    if (t < 1 / 2.0) {
      return q;
    }
    if (t < 2 / 3.0) {
      return p + (q - p) * (2 / 3.0 - t) * 6;
    }
    return p;
  }

  /** Text for XML character data or an attribute value: {@code & < > " '} escaped. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append(' '); // not allowed in XML 1.0
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /**
   * The hash's bytes (unsigned), then those of its SHA-256, of that one's, and so on: as many
   * deterministic bytes as the drawing needs, without repeating the pattern.
   */
  private static final class Bytes {
    private byte[] block;
    private int next;

    Bytes(byte[] hash) {
      this.block = hash.clone();
    }

    int next() {
      if (next == block.length) {
        try {
          block = java.security.MessageDigest.getInstance("SHA-256").digest(block);
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
        next = 0;
      }
      return block[next++] & 0xff;
    }
  }
}
