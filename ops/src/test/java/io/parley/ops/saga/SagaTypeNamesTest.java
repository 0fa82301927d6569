package io.parley.ops.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.api.error.NotFoundException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SagaTypeNamesTest {

  static final Map<String, String> TYPES =
      Map.of("io.parley.saga.erasure.ErasureSaga", "ErasureSaga");

  @Test
  void aTypeIsShownByItsSimpleName() {
    assertThat(SagaReadService.shownName("io.parley.saga.erasure.ErasureSaga"))
        .isEqualTo("ErasureSaga");
    assertThat(SagaReadService.shownName("a.b.Outer$InnerSaga")).isEqualTo("InnerSaga");
    assertThat(SagaReadService.shownName("Plain")).isEqualTo("Plain");
  }

  @Test
  void theTypeParameterTakesTheSimpleOrTheFullName_anythingElseIsA404() {
    assertThat(SagaReadService.resolve("ErasureSaga", TYPES))
        .isEqualTo("io.parley.saga.erasure.ErasureSaga");
    assertThat(SagaReadService.resolve("io.parley.saga.erasure.ErasureSaga", TYPES))
        .isEqualTo("io.parley.saga.erasure.ErasureSaga");
    assertThatThrownBy(() -> SagaReadService.resolve("erasuresaga", TYPES))
        .isInstanceOf(NotFoundException.class);
  }
}
