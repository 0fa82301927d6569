package io.parley.infra.privacy;

/** The in-memory store the unit tests use keeps the same promises as the real one. */
class InMemoryDataKeyStoreTest extends DataKeyStoreContract {

  @Override
  DataKeyStore newStore() {
    return new InMemoryDataKeyStore();
  }
}
