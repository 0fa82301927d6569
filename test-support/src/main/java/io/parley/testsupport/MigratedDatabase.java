package io.parley.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * A fresh database of its own on {@link TestDatabase}'s server, migrated with the project's Flyway
 * scripts ({@code classpath:db/migration}, from the {@code migrations} module): every table the
 * application has, no rows. For tests without a Spring context (projections, query handlers):
 *
 * <pre>{@code
 * static MigratedDatabase database;
 *
 * @BeforeAll static void migrate() { database = MigratedDatabase.create(); }
 * @AfterAll static void drop() { database.close(); }
 * }</pre>
 *
 * The data source is a small pool (HikariCP, as in the application): a test can hold up to {@value
 * #POOL_SIZE} connections at once, for example one committing while another reads.
 */
public final class MigratedDatabase implements AutoCloseable {

  /** Where the {@code migrations} module puts its scripts; the application reads the same path. */
  public static final String MIGRATIONS = "classpath:db/migration";

  /** Connections a test may hold at once. */
  public static final int POOL_SIZE = 4;

  private final TestDatabase.Connection connection;
  private final HikariDataSource dataSource;
  private final DSLContext dsl;

  private MigratedDatabase(TestDatabase.Connection connection, int poolSize) {
    this.connection = connection;
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(connection.url());
    pool.setUsername(connection.user());
    pool.setPassword(connection.password());
    pool.setMaximumPoolSize(poolSize);
    pool.setMinimumIdle(1);
    pool.setPoolName("migrated-database");
    this.dataSource = new HikariDataSource(pool);
    this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
  }

  /** A new database ({@link TestDatabase#newDatabase()}), migrated to the latest version. */
  public static MigratedDatabase create() {
    return create(POOL_SIZE);
  }

  /** As {@link #create()}, for a test that holds up to {@code connections} at once. */
  public static MigratedDatabase create(int connections) {
    MigratedDatabase database = new MigratedDatabase(TestDatabase.newDatabase(), connections);
    var result =
        Flyway.configure()
            .dataSource(database.dataSource)
            .locations(MIGRATIONS)
            .failOnMissingLocations(true)
            .load()
            .migrate();
    if (result.migrationsExecuted == 0) {
      throw new IllegalStateException("No migration found at " + MIGRATIONS);
    }
    return database;
  }

  /** Where the database is: for code that wants its own connections or its own data source. */
  public TestDatabase.Connection connection() {
    return connection;
  }

  /** The pool; its connections autocommit, as the driver's do by default. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** jOOQ over {@link #dataSource()}: each statement autocommitted. */
  public DSLContext dsl() {
    return dsl;
  }

  /** Closes the pool and drops the database. */
  @Override
  public void close() {
    dataSource.close();
    TestDatabase.dropDatabase(connection);
  }
}
