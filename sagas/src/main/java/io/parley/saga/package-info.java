/**
 * Long-running workflows (card generation, retention, erasure) and the ports they call. The first
 * sagas arrive with the personal-data lifecycle and card issues; the module exists now so the
 * dependency rules (see {@code ModuleDependencyRulesTest} in infra) cover it from the start.
 */
package io.parley.saga;
