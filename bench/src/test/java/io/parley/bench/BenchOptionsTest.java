package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void acceptsLoopbackUrlsOnly() {
    assertThat(BenchOptions.loopbackOnly("http://127.0.0.1:8080").getPort()).isEqualTo(8080);
    assertThat(BenchOptions.loopbackOnly("http://127.1.2.3:1/").getHost()).isEqualTo("127.1.2.3");
    assertThat(BenchOptions.loopbackOnly("http://localhost:9").getHost()).isEqualTo("localhost");
    assertThat(BenchOptions.loopbackOnly("http://[::1]:9").getHost()).isEqualTo("[::1]");
    for (String refused :
        new String[] {
          "http://10.0.0.1:8080",
          "http://192.168.1.5",
          "http://example.com",
          "http://localhost.example.com",
          "http://[2001:db8::1]:80",
          "ftp://127.0.0.1",
          "127.0.0.1:8080"
        }) {
      assertThatThrownBy(() -> BenchOptions.loopbackOnly(refused))
          .as(refused)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void parsesOptionsInBothForms() {
    BenchOptions o =
        BenchOptions.parse(
            new String[] {
              "--clients", "4", "--rate=250", "--duration", "5", "--long-conversation", "1_000"
            });
    assertThat(o.clients).isEqualTo(4);
    assertThat(o.users).isEqualTo(4);
    assertThat(o.rate).isEqualTo(250.0);
    assertThat(o.durationSeconds).isEqualTo(5.0);
    assertThat(o.longConversation).isEqualTo(1000);
  }

  @Test
  void refusesBadValues() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--clients", "0"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rate", "-1"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--nope", "1"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--url", "http://8.8.8.8"}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
