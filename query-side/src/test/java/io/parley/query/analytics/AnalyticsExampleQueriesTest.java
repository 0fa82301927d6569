package io.parley.query.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.api.subject.ConsentGrantedEvent;
import io.parley.api.subject.ConsentPurpose;
import io.parley.query.support.Projector;
import io.parley.testsupport.MigratedDatabase;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/analytics.md's example queries run, as the role {@code parley_analytics} (so they need
 * nothing it lacks), on tables the projection wrote; the first gives the expected numbers.
 */
class AnalyticsExampleQueriesTest {

  static final Path DOC = Path.of("..", "docs", "analytics.md");
  static final Pattern SQL_BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final UUID ROOM = UUID.fromString("00000000-0000-0000-0000-0000000000b1");

  @Test
  void everyExampleQuery_runsAsTheAnalyticsRole() throws Exception {
    List<String> queries = exampleQueries(Files.readString(DOC));
    assertThat(queries).hasSizeGreaterThanOrEqualTo(7);

    try (MigratedDatabase database = MigratedDatabase.create()) {
      UUID flag = UUID.randomUUID();
      new Projector(new AnalyticsProjection(database.dsl()))
          .handleAll(
              Projector.messages(
                  new ConsentGrantedEvent("ada", ConsentPurpose.ANALYTICS, "v1", T0),
                  sent(Verdict.ALLOWED),
                  sent(Verdict.WARNED),
                  new MessageBlockedEvent(
                      ROOM, UUID.randomUUID(), "ada", "x", ToxicityScores.NONE, "builtin", T0),
                  new FlagRaisedEvent(
                      flag, UUID.randomUUID(), ROOM, "bob", "ada", "r", "n", BigDecimal.ZERO, T0),
                  new FlagResolvedEvent(
                      flag,
                      UUID.randomUUID(),
                      ROOM,
                      FlagOutcome.UPHELD,
                      "mod",
                      T0,
                      T0.plusSeconds(90))));

      try (Connection connection = database.dataSource().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("set role parley_analytics");
        try {
          List<String> first = new ArrayList<>();
          for (String query : queries) {
            try (ResultSet rows = statement.executeQuery(query)) {
              while (rows.next() && first.isEmpty()) {
                for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                  first.add(rows.getString(c));
                }
              }
            }
          }
          // Messages per day: 2 delivered (one of them warned), 1 blocked.
          assertThat(first).containsExactly("2026-03-01", "2", "1");
        } finally {
          statement.execute("reset role");
        }
      }
    }
  }

  /** The SELECT statements of the document's sql blocks. */
  static List<String> exampleQueries(String markdown) {
    List<String> queries = new ArrayList<>();
    Matcher block = SQL_BLOCK.matcher(markdown);
    while (block.find()) {
      Arrays.stream(block.group(1).split(";"))
          .map(String::strip)
          .filter(sql -> sql.regionMatches(true, 0, "SELECT", 0, 6))
          .forEach(queries::add);
    }
    return queries;
  }

  static MessageSentEvent sent(Verdict verdict) {
    return new MessageSentEvent(
        ROOM,
        UUID.randomUUID(),
        1,
        "ada",
        "t",
        verdict,
        BigDecimal.ZERO,
        ToxicityScores.NONE,
        "builtin",
        T0);
  }
}
