package io.parley.text.card;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of varied synthetic conversations, for tests over many windows. Sentences come
 * from the hand-written sentiment dev set (positive, negative, neutral pools) and from a few chat
 * fragments (greetings, one-word answers, emoji). Each conversation draws:
 *
 * <ul>
 *   <li>its length, log-uniform between 1 and 200 messages (short windows are the most common);
 *   <li>its number of authors, 1 to 8, never more than its messages;
 *   <li>its mood: 50 % mostly neutral (60 % neutral, 20 % positive, 20 % negative sentences), 20 %
 *       leaning positive (45/45/10), 20 % leaning negative (45/10/45 neutral/positive/negative), 10
 *       % strongly one-sided (90 % of one feeling);
 *   <li>per message 1–3 sentences, sometimes a chat fragment instead.
 * </ul>
 */
final class SyntheticConversations {

  private static final List<String> FRAGMENTS =
      List.of(
          "ok", "lol", "yes", "no", "hi all", "brb", "👍", "😂😂", "hmm", "sure", "k", "🎉",
          "see you", "on it", "?", "thx");

  private final Random random;
  private final List<String> positive = new ArrayList<>();
  private final List<String> negative = new ArrayList<>();
  private final List<String> neutral = new ArrayList<>();

  SyntheticConversations(long seed) {
    this.random = new Random(seed);
    try (InputStream in = getClass().getResourceAsStream("/sentiment/labelled-dev.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t", 2);
        switch (parts[0]) {
          case "positive" -> positive.add(parts[1].strip());
          case "negative" -> negative.add(parts[1].strip());
          default -> neutral.add(parts[1].strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<WindowMessage> next() {
    int messages = (int) Math.floor(Math.exp(random.nextDouble() * Math.log(201)));
    messages = Math.max(1, Math.min(200, messages));
    int authors = Math.min(messages, 1 + random.nextInt(8));
    double[] mood = mood();
    List<WindowMessage> window = new ArrayList<>(messages);
    for (int m = 0; m < messages; m++) {
      String author = "user-" + random.nextInt(authors);
      if (random.nextDouble() < 0.15) {
        window.add(new WindowMessage(author, FRAGMENTS.get(random.nextInt(FRAGMENTS.size()))));
        continue;
      }
      int sentences = 1 + random.nextInt(3);
      StringBuilder text = new StringBuilder();
      for (int s = 0; s < sentences; s++) {
        if (s > 0) {
          text.append(". ");
        }
        text.append(sentence(mood));
      }
      window.add(new WindowMessage(author, text.toString()));
    }
    return window;
  }

  /** Shares of neutral, positive, negative sentences. */
  private double[] mood() {
    double roll = random.nextDouble();
    if (roll < 0.5) {
      return new double[] {0.6, 0.2, 0.2};
    } else if (roll < 0.7) {
      return new double[] {0.45, 0.45, 0.10};
    } else if (roll < 0.9) {
      return new double[] {0.45, 0.10, 0.45};
    }
    return random.nextBoolean() ? new double[] {0.05, 0.9, 0.05} : new double[] {0.05, 0.05, 0.9};
  }

  private String sentence(double[] mood) {
    double roll = random.nextDouble();
    List<String> pool = roll < mood[0] ? neutral : roll < mood[0] + mood[1] ? positive : negative;
    return pool.get(random.nextInt(pool.size()));
  }
}
