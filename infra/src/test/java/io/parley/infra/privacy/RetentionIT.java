package io.parley.infra.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.privacy.DataCategory;
import io.parley.api.subject.RetentionSweptEvent;
import io.parley.infra.ParleyApplication;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.IsolatedDatabaseInitializer;
import io.parley.saga.retention.RetentionSweeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * Retention with the clock moved forward: messages of a month wholly past the retention period
 * become unreadable exactly like erased ones (key destroyed, projection erased); newer ones stay.
 * Its own database, because it moves time.
 */
@SpringBootTest(
    classes = {ParleyApplication.class, RetentionIT.MovableClockConfig.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"parley.data-dir=target/it-data", "parley.retention.messages=P1D"})
@ContextConfiguration(initializers = IsolatedDatabaseInitializer.class)
class RetentionIT {

  @LocalServerPort int port;
  @Autowired MovableClock clock;
  @Autowired RetentionSweeper sweeper;
  @Autowired JdbcTemplate jdbc;
  @Autowired Serializer serializer;

  @Test
  void expiredMonthsBecomeUnreadable_newerMessagesStay_andASecondSweepDoesNothing() {
    ApiClient api = new ApiClient(port);
    String token = api.token("rita", "USER");
    String room =
        api.postJson("/api/v1/conversations", token, Map.of("title", "long ago"))
            .json()
            .get("conversationId")
            .asText();
    String oldText = "old-" + UUID.randomUUID();
    api.postJson("/api/v1/conversations/" + room + "/messages", token, Map.of("text", oldText));
    Instant then = clock.instant();

    clock.advance(Duration.ofDays(62));
    String newText = "new-" + UUID.randomUUID();
    api.postJson("/api/v1/conversations/" + room + "/messages", token, Map.of("text", newText));
    awaitTexts(api, token, room, 2);

    List<RetentionSweptEvent> swept = sweeper.sweep();
    assertThat(swept).hasSize(1);
    assertThat(swept.get(0).category()).isEqualTo(DataCategory.MESSAGE);
    assertThat(swept.get(0).keysDestroyed()).isGreaterThanOrEqualTo(1);
    assertThat(sweeper.sweep()).isEmpty(); // idempotent

    String expiredMonth = YearMonth.from(then.atZone(ZoneOffset.UTC)).toString();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from data_key where category = 'MESSAGE' and period = ?",
                Integer.class,
                expiredMonth))
        .isZero();

    JsonNode items =
        Awaitility.await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    api.get("/api/v1/conversations/" + room + "/messages", token)
                        .json()
                        .get("items"),
                list -> list.get(1).get("erased").asBoolean());
    assertThat(items.get(1).get("text").isNull()).isTrue();
    assertThat(items.get(0).get("text").asText()).isEqualTo(newText);
    assertThat(items.get(0).get("erased").asBoolean()).isFalse();

    // The stored event itself now reads back with no text, like an erased one.
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "select payload, payload_type, payload_revision from domain_event_entry"
                + " where aggregate_identifier = ? and payload_type = ? order by sequence_number",
            room,
            MessageSentEvent.class.getName());
    MessageSentEvent oldEvent = deserialize(rows.get(0));
    MessageSentEvent newEvent = deserialize(rows.get(1));
    assertThat(oldEvent.text()).isNull();
    assertThat(newEvent.text()).isEqualTo(newText);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from timeline_message where text like ?",
                Integer.class,
                "%" + oldText + "%"))
        .isZero();
  }

  MessageSentEvent deserialize(Map<String, Object> row) {
    return serializer.deserialize(
        new SimpleSerializedObject<>(
            (byte[]) row.get("payload"),
            byte[].class,
            (String) row.get("payload_type"),
            (String) row.get("payload_revision")));
  }

  static void awaitTexts(ApiClient api, String token, String room, int count) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              ApiClient.Response page =
                  api.get("/api/v1/conversations/" + room + "/messages", token);
              return page.status() == 200 ? page.json().get("items").size() : -1;
            },
            n -> n == count);
  }

  /** A clock the test moves forward; everything that asks the application for "now" sees it. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now.plusNanos(System.nanoTime() % 1_000); // distinct instants, monotonic enough here
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class MovableClockConfig {
    @Bean
    @Primary
    MovableClock movableClock() {
      return new MovableClock();
    }
  }
}
