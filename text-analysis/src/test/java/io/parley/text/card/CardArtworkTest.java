package io.parley.text.card;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.card.Rarity;
import io.parley.text.sentiment.Sentiment;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class CardArtworkTest {

  private static final String SVG_NS = "http://www.w3.org/2000/svg";

  private static byte[] hash(String seed) {
    return WindowHash.sha256(List.of(new WindowMessage("a", seed)));
  }

  /** Parses with DTDs and external entities refused, as a careful client would. */
  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
    factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setXIncludeAware(false);
    factory.setExpandEntityReferences(false);
    DocumentBuilder builder = factory.newDocumentBuilder();
    builder.setErrorHandler(null);
    return builder.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  /** Every element of the document, depth first. */
  private static List<Element> elements(Document document) {
    List<Element> all = new ArrayList<>();
    collect(document.getDocumentElement(), all);
    return all;
  }

  private static void collect(Element element, List<Element> all) {
    all.add(element);
    NodeList children = element.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element child) {
        collect(child, all);
      }
    }
  }

  /** The checks a server would make before serving an untrusted SVG as an image. */
  static void assertSafe(String svg) throws Exception {
    Document document = parse(svg);
    Element root = document.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("svg");
    assertThat(root.getNamespaceURI()).isEqualTo(SVG_NS);
    assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 300 420");
    for (Element element : elements(document)) {
      String name = element.getLocalName().toLowerCase();
      assertThat(name).isNotIn("script", "foreignobject", "iframe", "image", "use", "a", "style");
      assertThat(element.getNamespaceURI()).isEqualTo(SVG_NS);
      NamedNodeMap attributes = element.getAttributes();
      for (int i = 0; i < attributes.getLength(); i++) {
        Attr attribute = (Attr) attributes.item(i);
        String attributeName =
            attribute.getLocalName() == null ? attribute.getName() : attribute.getLocalName();
        String value = attribute.getValue();
        assertThat(attributeName.toLowerCase()).as("event handler").doesNotStartWith("on");
        if (attributeName.equalsIgnoreCase("href")) {
          assertThat(value).as("href is an internal fragment").startsWith("#");
        }
        if (!attributeName.equals("xmlns")) {
          assertThat(value.toLowerCase())
              .doesNotContain("http:", "https:", "javascript:", "data:", "//");
        }
        int url = value.indexOf("url(");
        while (url >= 0) {
          assertThat(value.substring(url + 4))
              .as("url() points inside the document")
              .startsWith("#");
          url = value.indexOf("url(", url + 4);
        }
      }
    }
    NodeList processing = document.getChildNodes();
    for (int i = 0; i < processing.getLength(); i++) {
      assertThat(processing.item(i).getNodeType()).isNotEqualTo(Node.PROCESSING_INSTRUCTION_NODE);
    }
  }

  @Test
  void render_isSafeWellFormedSvg_forEveryRarityAndManySentiments() throws Exception {
    int n = 0;
    for (Rarity rarity : Rarity.values()) {
      for (double polarity : new double[] {-1, -0.7, -0.2, 0, 0.05, 0.3, 0.8, 1}) {
        for (double confidence : new double[] {0, 0.4, 1}) {
          assertSafe(
              CardArtwork.render(rarity, Sentiment.of(polarity, confidence), hash("w" + n++)));
        }
      }
    }
  }

  @Test
  void render_isDeterministic_andDependsOnTheWindowsHash() {
    Sentiment sentiment = Sentiment.of(0.4, 0.6);
    String first = CardArtwork.render(Rarity.EPIC, sentiment, hash("window one"));
    assertThat(CardArtwork.render(Rarity.EPIC, sentiment, hash("window one"))).isEqualTo(first);
    assertThat(CardArtwork.render(Rarity.EPIC, sentiment, hash("window two"))).isNotEqualTo(first);
  }

  @Test
  void render_drawsAFramePerRarity() {
    byte[] hash = hash("same");
    Sentiment sentiment = Sentiment.of(0.5, 0.5);
    Set<String> svgs = new HashSet<>();
    for (Rarity rarity : Rarity.values()) {
      String svg = CardArtwork.render(rarity, sentiment, hash);
      assertThat(svg).contains(">" + rarity.name() + "<");
      svgs.add(svg);
    }
    assertThat(svgs).hasSize(Rarity.values().length);
    assertThat(CardArtwork.render(Rarity.LEGENDARY, sentiment, hash)).contains("-gold)");
  }

  @Test
  void render_coloursFollowThePolarity() {
    assertThat(CardArtwork.hueOf(1)).isEqualTo(40);
    assertThat(CardArtwork.hueOf(0)).isEqualTo(190);
    assertThat(CardArtwork.hueOf(-1)).isEqualTo(265);
    byte[] hash = hash("same");
    assertThat(CardArtwork.render(Rarity.RARE, Sentiment.of(0.9, 0.8), hash))
        .isNotEqualTo(CardArtwork.render(Rarity.RARE, Sentiment.of(-0.9, 0.8), hash));
  }

  @Test
  void render_carriesNoTextOfTheConversation() throws Exception {
    List<WindowMessage> window =
        List.of(new WindowMessage("alice", "Meet me at the secret garden"));
    GeneratedCard card = new BuiltInCardGenerator().generate(window);
    assertThat(card.svg()).doesNotContainIgnoringCase("secret").doesNotContain("alice");
    assertSafe(card.svg());
  }

  @Test
  void escape_neutralisesMarkup() throws Exception {
    String hostile = "<script>alert('x')</script> & \" onload=\"x\u0001";
    String escaped = CardArtwork.escape(hostile);
    assertThat(escaped).doesNotContain("<", ">", "\"", "'", "\u0001");
    Document document =
        parse(
            "<svg xmlns=\""
                + SVG_NS
                + "\" aria-label=\""
                + escaped
                + "\"><text>"
                + escaped
                + "</text></svg>");
    assertThat(document.getDocumentElement().getAttribute("aria-label")).startsWith("<script>");
    assertThat(document.getElementsByTagNameNS(SVG_NS, "script").getLength()).isZero();
  }

  @Test
  void hsl_convertsToHex() {
    assertThat(CardArtwork.hsl(0, 1, 0.5)).isEqualTo("#ff0000");
    assertThat(CardArtwork.hsl(120, 1, 0.5)).isEqualTo("#00ff00");
    assertThat(CardArtwork.hsl(240, 1, 0.5)).isEqualTo("#0000ff");
    assertThat(CardArtwork.hsl(0, 0, 1)).isEqualTo("#ffffff");
  }
}
