package io.parley.query.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.testsupport.MigratedDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V20 where Parley's database user may not create roles (a managed PostgreSQL): the migration
 * succeeds without {@code parley_analytics}, and docs/runbooks/analytics-role.md's SQL gives the
 * role what V20 would have. On a server of its own: on the shared test server the role
 * (server-wide) already exists, created by other databases' migrations.
 */
class AnalyticsRoleRunbookTest {

  @Test
  void withoutCreateRole_theMigrationSucceedsWithoutTheRole_andTheRunbookGrantsReadOnly()
      throws Exception {
    try (EmbeddedPostgres server =
        EmbeddedPostgres.builder().setRegisterShutdownHook(false).start()) {
      // zonky's URLs name their user (?user=…), which would win over the user given to the driver.
      String admin = withoutUser(server.getJdbcUrl("postgres", "postgres"));
      execute(
          admin,
          "postgres",
          "create role parley_owner login password 'owner' nocreaterole",
          "create database parley owner parley_owner");
      String parley = withoutUser(server.getJdbcUrl("parley_owner", "parley"));

      Flyway.configure()
          .dataSource(parley, "parley_owner", "owner")
          .locations(MigratedDatabase.MIGRATIONS)
          .load()
          .migrate();

      assertThat(
              count(
                  admin,
                  "postgres",
                  "select count(*) from pg_roles where rolname = 'parley_analytics'"))
          .isZero();
      assertThat(count(parley, "parley_owner", "select count(*) from analytics.conversation_daily"))
          .isZero();

      // The runbook: the DBA creates the role, the schema's owner grants it the schema.
      execute(admin, "postgres", "create role parley_analytics nologin");
      execute(
          parley,
          "parley_owner",
          "grant usage on schema analytics to parley_analytics",
          "grant select on all tables in schema analytics to parley_analytics",
          "alter default privileges for role parley_owner in schema analytics"
              + " grant select on tables to parley_analytics");
      execute(
          admin,
          "postgres",
          "create role analyst login password 'analyst' in role parley_analytics");
      // A table a later migration adds to the schema.
      execute(parley, "parley_owner", "create table analytics.later_table (n int)");

      try (Connection analyst = DriverManager.getConnection(parley, "analyst", "analyst");
          Statement statement = analyst.createStatement()) {
        try (ResultSet user = statement.executeQuery("select current_user")) {
          user.next();
          assertThat(user.getString(1)).isEqualTo("analyst");
        }
        for (String table :
            new String[] {"conversation_daily", "moderation_daily", "card_daily", "later_table"}) {
          statement.executeQuery("select * from analytics." + table).close();
        }
        for (String table :
            new String[] {"domain_event_entry", "analytics_consent", "analytics_counted_flag"}) {
          assertThatThrownBy(() -> statement.executeQuery("select * from public." + table))
              .as(table)
              .isInstanceOfSatisfying(
                  SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
        assertThatThrownBy(() -> statement.executeUpdate("delete from analytics.moderation_daily"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      }
    }
  }

  static void execute(String url, String user, String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user, password(user));
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  static long count(String url, String user, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user, password(user));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static String withoutUser(String url) {
    return url.replaceFirst("\\?user=[^&]*$", "");
  }

  static String password(String user) {
    return switch (user) {
      case "parley_owner" -> "owner";
      case "analyst" -> "analyst";
      default -> "";
    };
  }
}
