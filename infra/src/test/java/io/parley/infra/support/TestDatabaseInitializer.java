package io.parley.infra.support;

import io.parley.testsupport.TestDatabase;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a test's Spring context at {@link TestDatabase}. The release is registered before any
 * bean, so it is destroyed after all of them: PostgreSQL stops only once Axon has.
 */
public class TestDatabaseInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    useDatabase(context, TestDatabase.get());
  }

  static void useDatabase(ConfigurableApplicationContext context, TestDatabase.Connection db) {
    TestPropertyValues.of(
            "parley.db.url=" + db.url(),
            "parley.db.user=" + db.user(),
            "parley.db.password=" + db.password())
        .applyTo(context);
    TestDatabase.acquire();
    ((DefaultListableBeanFactory) context.getBeanFactory())
        .registerDisposableBean("testDatabaseRelease", TestDatabase::release);
  }
}
