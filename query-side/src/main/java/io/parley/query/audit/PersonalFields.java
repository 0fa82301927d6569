package io.parley.query.audit;

import io.parley.api.privacy.PersonalData;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The {@link PersonalData} components of an event record, found by reflection once per type and
 * cached: each field's name, its accessor and the accessor of the component naming its subject.
 */
final class PersonalFields {

  /** One personal field of a record type. */
  record Field(String name, Method value, Method subject) {

    /** The field's (decrypted) value in {@code event}, {@code null} when unset or erased. */
    Object valueOf(Object event) {
      return invoke(value, event);
    }

    /**
     * The user ids of the field's data subjects in {@code event}: one, or every id of a collection
     * component (a card's contributors); empty when unset.
     */
    List<String> subjectsOf(Object event) {
      Object id = invoke(subject, event);
      if (id == null) {
        return List.of();
      }
      if (id instanceof Collection<?> ids) {
        List<String> subjects = new ArrayList<>(ids.size());
        for (Object each : ids) {
          if (each != null) {
            subjects.add(each.toString());
          }
        }
        return subjects;
      }
      return List.of(id.toString());
    }
  }

  private static final ClassValue<List<Field>> FIELDS =
      new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
          return find(type);
        }
      };

  private PersonalFields() {}

  /** The personal fields of {@code type}; empty for a class that is not a record. */
  static List<Field> of(Class<?> type) {
    return FIELDS.get(type);
  }

  private static List<Field> find(Class<?> type) {
    if (!type.isRecord()) {
      return List.of();
    }
    RecordComponent[] components = type.getRecordComponents();
    List<Field> fields = new ArrayList<>();
    for (RecordComponent component : components) {
      PersonalData personal = component.getAnnotation(PersonalData.class);
      if (personal == null) {
        continue;
      }
      Method subject = null;
      for (RecordComponent other : components) {
        if (other.getName().equals(personal.subject())) {
          subject = other.getAccessor();
        }
      }
      if (subject == null) {
        throw new IllegalStateException(
            type.getName() + "." + component.getName() + " names no subject component");
      }
      Method value = component.getAccessor();
      value.setAccessible(true);
      subject.setAccessible(true);
      fields.add(new Field(component.getName(), value, subject));
    }
    return Collections.unmodifiableList(fields);
  }

  private static Object invoke(Method accessor, Object target) {
    try {
      return accessor.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("Cannot read " + accessor, e);
    }
  }
}
