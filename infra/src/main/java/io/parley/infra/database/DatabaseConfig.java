package io.parley.infra.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.parley.infra.ParleyModes;
import io.parley.infra.ParleyProperties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Where the data lives: the PostgreSQL named by {@code PARLEY_DB_URL} (+ {@code PARLEY_DB_USER},
 * {@code PARLEY_DB_PASSWORD}), or else — in dev mode only — an embedded PostgreSQL whose files live
 * in {@code PARLEY_DATA_DIR/postgres} (durable settings; one Parley per directory, see {@link
 * EmbeddedDatabase}). Prod refuses to start without an external database.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfig {

  private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);

  static final String MISSING_DATABASE =
      "Parley prod mode needs an external PostgreSQL: set PARLEY_DB_URL (and PARLEY_DB_USER,"
          + " PARLEY_DB_PASSWORD); the embedded database is for dev mode only";

  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  public HikariConfig hikariConfig() {
    return new HikariConfig();
  }

  @Bean(destroyMethod = "close")
  public EmbeddedDatabase embeddedDatabase(ParleyProperties properties, Environment environment) {
    if (properties.db().isExternal()) {
      return EmbeddedDatabase.none();
    }
    if (ParleyModes.isProd(environment)) {
      throw new IllegalStateException(MISSING_DATABASE);
    }
    return EmbeddedDatabase.start(properties.dataDir());
  }

  @Bean(destroyMethod = "close")
  public DataSource dataSource(
      ParleyProperties properties, EmbeddedDatabase embedded, HikariConfig hikari) {
    HikariConfig config = new HikariConfig();
    hikari.copyStateTo(config);
    if (properties.db().isExternal()) {
      config.setJdbcUrl(properties.db().url());
      config.setUsername(properties.db().user());
      config.setPassword(properties.db().password());
      log.info("Using the external PostgreSQL database (PARLEY_DB_URL)");
    } else {
      config.setJdbcUrl(embedded.jdbcUrl());
      config.setUsername(EmbeddedDatabase.USER);
    }
    config.setPoolName("parley");
    return new HikariDataSource(config);
  }
}
