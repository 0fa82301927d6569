import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Target;

/**
 * Build-time jOOQ code generation from the real Flyway scripts.
 *
 * <p>Run by the exec-maven-plugin during {@code generate-sources} as a single-file Java program:
 * starts an in-process PostgreSQL (zonky), migrates it with {@code db/migration}, and points jOOQ's
 * generator at it, so generated types are exactly what PostgreSQL made of the DDL. Axon's and
 * Flyway's own tables are excluded: nobody queries the event store by hand. Two schemas: {@code
 * public} into {@code io.parley.migrations.jooq}, {@code analytics} into its {@code analytics}
 * sub-package.
 *
 * <p>Arguments: migration directory, output directory, scratch directory for the server.
 */
public class JooqCodegen {

  static final String EXCLUDED_TABLES =
      "flyway_schema_history|domain_event_entry|snapshot_event_entry|token_entry|saga_entry"
          + "|association_value_entry|dead_letter_entry|scheduled_tasks";

  public static void main(String[] args) throws Exception {
    Path migrations = Path.of(args[0]);
    Path output = Path.of(args[1]);
    Path scratch = Path.of(args[2]);
    Files.createDirectories(scratch);
    try (EmbeddedPostgres postgres =
        EmbeddedPostgres.builder().setOverrideWorkingDirectory(scratch.toFile()).start()) {
      DataSource dataSource = postgres.getPostgresDatabase();
      Flyway.configure()
          .dataSource(dataSource)
          .locations("filesystem:" + migrations.toAbsolutePath())
          .load()
          .migrate();
      String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
      // public: rendered without a schema, as every query so far.
      GenerationTool.generate(
          configuration(
              jdbcUrl,
              new Database()
                  .withName("org.jooq.meta.postgres.PostgresDatabase")
                  .withInputSchema("public")
                  .withOutputSchemaToDefault(true)
                  .withExcludes(EXCLUDED_TABLES),
              new Target()
                  .withPackageName("io.parley.migrations.jooq")
                  .withDirectory(output.toAbsolutePath().toString())));
      // analytics (ADR 0015): its own package, rendered with its schema (analytics.…). Generated
      // after public, whose run cleans its package directory, this one included.
      GenerationTool.generate(
          configuration(
              jdbcUrl,
              new Database()
                  .withName("org.jooq.meta.postgres.PostgresDatabase")
                  .withInputSchema("analytics"),
              new Target()
                  .withPackageName("io.parley.migrations.jooq.analytics")
                  .withDirectory(output.toAbsolutePath().toString())));
    }
  }

  static Configuration configuration(String jdbcUrl, Database database, Target target) {
    return new Configuration()
        .withJdbc(
            new Jdbc().withDriver("org.postgresql.Driver").withUrl(jdbcUrl).withUser("postgres"))
        .withGenerator(
            new Generator()
                .withDatabase(database)
                .withGenerate(
                    new Generate()
                        .withPojos(true)
                        .withPojosAsJavaRecordClasses(true)
                        .withJavaTimeTypes(true)
                        .withFluentSetters(true))
                .withTarget(target));
  }
}
