package io.parley.infra.support;

import io.parley.testsupport.TestDatabase;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Like {@link TestDatabaseInitializer}, but on a fresh database of its own. */
public class IsolatedDatabaseInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    TestDatabaseInitializer.useDatabase(context, TestDatabase.newDatabase());
  }
}
