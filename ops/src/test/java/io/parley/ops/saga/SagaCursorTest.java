package io.parley.ops.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.api.PageSize;
import io.parley.api.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SagaCursorTest {

  @Test
  void aCursorDecodesToTheSagaIdItWasMadeFrom_andIsOpaque() {
    String sagaId = UUID.randomUUID().toString();
    String cursor = SagaCursor.encode(sagaId);
    assertThat(cursor).doesNotContain(sagaId).matches("[A-Za-z0-9_-]+");
    assertThat(SagaCursor.decode(cursor)).isEqualTo(sagaId);
  }

  @Test
  void noneMeansNone() {
    assertThat(SagaCursor.encode(null)).isNull();
    assertThat(SagaCursor.decode(null)).isNull();
  }

  @Test
  void anythingElseIsA400NamingAfter() {
    for (String bad :
        new String[] {
          "not a cursor", "%%%", "", encode("c:12"), encode("s:"), encode("s:a b"), encode("x")
        }) {
      assertThatThrownBy(() -> SagaCursor.decode(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.problems().get(0).field()).isEqualTo("after"));
    }
  }

  @Test
  void limitIsOneToMax_defaultWhenAbsent() {
    assertThat(PageSize.of(null, 20, 100)).isEqualTo(20);
    assertThat(PageSize.of(1, 20, 100)).isEqualTo(1);
    assertThat(PageSize.of(100, 20, 100)).isEqualTo(100);
    for (int bad : new int[] {0, -1, 101}) {
      assertThatThrownBy(() -> PageSize.of(bad, 20, 100))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.problems().get(0).field()).isEqualTo("limit"));
    }
  }

  private static String encode(String raw) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }
}
