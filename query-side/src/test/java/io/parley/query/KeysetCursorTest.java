package io.parley.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.api.error.InvalidInputException;
import io.parley.api.error.InvalidInputException.FieldProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysetCursorTest {

  final KeysetCursor positions = new KeysetCursor("p:", "before");

  @Test
  void cursor_decodesToThePositionItWasMadeOf() {
    for (long position : new long[] {1, 42, Long.MAX_VALUE}) {
      assertThat(positions.decode(positions.encode(position))).isEqualTo(position);
    }
  }

  @Test
  void cursor_isUrlSafeWithoutPadding() {
    assertThat(positions.encode(1234567L)).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void noPosition_isNoCursor_andNoCursorIsNoPosition() {
    assertThat(positions.encode(null)).isNull();
    assertThat(positions.decode(null)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"q:5", "p:0", "p:-3", "p:abc", "p:", "p:99999999999999999999", "5", ""})
  void cursorNotMadeByThisList_isRejectedNamingTheParameter(String raw) {
    String cursor =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(raw.getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> positions.decode(cursor))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new FieldProblem("before", "is not a cursor this API returned")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not base64!", "cDo1=x", "%%%"})
  void textThatIsNotBase64_isRejectedNamingTheParameter(String cursor) {
    assertThatThrownBy(() -> positions.decode(cursor))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems()).extracting(FieldProblem::field).containsExactly("before"));
  }
}
