package io.parley.axon.saga;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.modelling.saga.AnnotatedSaga;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValues;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

/**
 * A saga instance's state just before one of its event handlers runs: its serialized form (as the
 * saga store would keep it), its association values and whether it is active. Put back when that
 * handler fails and its event is parked, so the saga is stored as it was before the event and a
 * retry hands it the event again, instead of a half-applied handler's changes being committed.
 *
 * <p>Restoring copies every non-static, non-transient field of the deserialized copy onto the
 * instance the repository holds (injected resources are transient by the rules of a serialisable
 * saga and stay as they are). A handler that failed after {@code SagaLifecycle.end()} (Axon's
 * {@code @EndSaga} ends the saga even when its handler throws) would have the saga deleted: Axon 4
 * has no public way to undo that, so the saga's {@code isActive} flag is set back by reflection,
 * checked when this class loads.
 */
final class SagaState {

  private static final Field ACTIVE = activeFlag();

  private final SerializedObject<byte[]> serialized;
  private final Set<AssociationValue> associations;
  private final boolean active;

  private SagaState(
      SerializedObject<byte[]> serialized, Set<AssociationValue> associations, boolean active) {
    this.serialized = serialized;
    this.associations = associations;
    this.active = active;
  }

  static SagaState capture(AnnotatedSaga<?> saga, Serializer serializer) {
    return new SagaState(
        serializer.serialize(saga.root(), byte[].class),
        new HashSet<>(saga.getAssociationValues().asSet()),
        saga.isActive());
  }

  void restore(AnnotatedSaga<?> saga, Serializer serializer) {
    Object before = serializer.deserialize(serialized);
    Object root = saga.root();
    for (Class<?> type = root.getClass(); type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers)) {
          continue;
        }
        try {
          field.setAccessible(true);
          field.set(root, field.get(before));
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException(
              "Cannot restore field " + field.getName() + " of saga " + type.getName(), e);
        }
      }
    }
    AssociationValues current = saga.getAssociationValues();
    for (AssociationValue value : Set.copyOf(current.asSet())) {
      if (!associations.contains(value)) {
        current.remove(value);
      }
    }
    associations.forEach(current::add);
    if (active && !saga.isActive()) {
      try {
        ACTIVE.setBoolean(saga, true);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("Cannot reactivate saga " + saga.getSagaIdentifier(), e);
      }
    }
  }

  private static Field activeFlag() {
    try {
      Field field = AnnotatedSaga.class.getDeclaredField("isActive");
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(
          "AnnotatedSaga has no isActive field any more (an Axon upgrade?): saga dead letters"
              + " cannot restore a saga whose @EndSaga handler failed",
          e);
    }
  }
}
