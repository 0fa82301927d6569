package io.parley.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class MigratedDatabaseTest {

  @Test
  void create_appliesEveryScriptOfTheMigrationsModule() {
    try (MigratedDatabase database = MigratedDatabase.create()) {
      var info =
          Flyway.configure()
              .dataSource(database.dataSource())
              .locations(MigratedDatabase.MIGRATIONS)
              .load()
              .info();
      assertThat(info.pending()).isEmpty();
      assertThat(info.applied()).hasSizeGreaterThanOrEqualTo(16);
      assertThat(database.dsl().fetchCount(DSL.table("timeline_message"))).isZero();
    }
  }

  @Test
  void twoDatabases_shareNoRows() {
    try (MigratedDatabase one = MigratedDatabase.create();
        MigratedDatabase other = MigratedDatabase.create()) {
      one.dsl()
          .execute("INSERT INTO data_subject_status (subject_id, status) VALUES ('ada', 'ACTIVE')");

      assertThat(one.dsl().fetchCount(DSL.table("data_subject_status"))).isEqualTo(1);
      assertThat(other.dsl().fetchCount(DSL.table("data_subject_status"))).isZero();
      assertThat(one.connection().url()).isNotEqualTo(other.connection().url());
    }
  }

  @Test
  void close_dropsTheDatabase_evenWithAConnectionStillOpen() throws SQLException {
    MigratedDatabase database = MigratedDatabase.create();
    TestDatabase.Connection where = database.connection();
    try (var leftOpen = database.dataSource().getConnection()) {
      database.close();
    } catch (SQLException closingAKilledConnection) {
      // the drop ended it; that is the point
    }

    assertThatThrownBy(
            () -> DriverManager.getConnection(where.url(), where.user(), where.password()))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3D000"));
  }

  @Test
  void dropDatabase_refusesADatabaseItDidNotCreate() {
    TestDatabase.Connection server = TestDatabase.get();

    assertThatThrownBy(() -> TestDatabase.dropDatabase(server))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
