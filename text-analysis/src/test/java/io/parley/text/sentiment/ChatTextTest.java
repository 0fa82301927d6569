package io.parley.text.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatTextTest {

  private static List<ChatText.Sentence> sentences(String text) {
    return ChatText.sentences(text, key -> key.equals(":)"));
  }

  @Test
  void sentences_endAtTerminalsFollowedBySpaceAndAtLineBreaks() {
    assertThat(sentences("We land at 10.40. See you soon!! Bring v2.1?\nok"))
        .extracting(ChatText.Sentence::text)
        .containsExactly("We land at 10.40.", "See you soon!!", "Bring v2.1?", "ok");
  }

  @Test
  void sentences_countExclamationsAndSkipWordlessSpans() {
    List<ChatText.Sentence> sentences = sentences("Wow!!! ... \n\n  ?!");
    assertThat(sentences).hasSize(1);
    assertThat(sentences.get(0).exclamations()).isEqualTo(3);
  }

  @Test
  void words_keepTheSurfaceAndKeyWithoutApostrophes() {
    List<ChatText.Word> words = sentences("Don't STOP, it’s fine").get(0).words();
    assertThat(words)
        .extracting(ChatText.Word::surface)
        .containsExactly("Don't", "STOP", "it’s", "fine");
    assertThat(words).extracting(ChatText.Word::key).containsExactly("dont", "stop", "its", "fine");
    assertThat(words.get(1).allCaps()).isTrue();
    assertThat(words.get(2).clauseBefore()).isTrue();
    assertThat(words.get(1).clauseBefore()).isFalse();
  }

  @Test
  void words_makeEachEmojiAWordKeepingItsModifiers() {
    List<ChatText.Word> words = sentences("yes👍🏽 love it❤️ 👨‍👩‍👧 :)").get(0).words();
    assertThat(words)
        .extracting(ChatText.Word::surface)
        .containsExactly("yes", "👍🏽", "love", "it", "❤️", "👨‍👩‍👧", ":)");
    assertThat(words.get(1).emoji()).isTrue();
    assertThat(words.get(1).key()).isEqualTo("👍");
    assertThat(words.get(4).key()).isEqualTo("❤");
    assertThat(words.get(6).emoji()).isTrue();
  }

  @Test
  void words_keepNumbersAndHyphenatedWordsWhole() {
    assertThat(sentences("We won 3-1 at 10:40, a well-deserved win").get(0).words())
        .extracting(ChatText.Word::surface)
        .containsExactly("We", "won", "3-1", "at", "10:40", "a", "well-deserved", "win");
  }
}
