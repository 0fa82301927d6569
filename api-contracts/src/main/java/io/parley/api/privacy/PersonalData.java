package io.parley.api.privacy;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of an event (or saga, or snapshot) as personal data of one data subject. The
 * serializer encrypts it with that subject's data key before it is stored, and decrypts it on read;
 * once the key is destroyed (erasure, retention) the field reads as {@code null}.
 *
 * <p>Only {@code String} fields may carry it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.RECORD_COMPONENT,
  ElementType.FIELD,
  ElementType.METHOD,
  ElementType.PARAMETER
})
public @interface PersonalData {

  /**
   * Name of the component (of the same record) holding the data subject's user id; or a collection
   * of user ids, when the field is personal data of each of them (a card's title): it then stays
   * readable only while every one of their keys lives.
   */
  String subject();

  /** What kind of data this is; decides how long it is kept. */
  DataCategory category();

  /**
   * Name of an {@code Instant} component that dates the data (its month picks the key), so that
   * retention can destroy whole months. Empty: dated when it is encrypted.
   */
  String datedBy() default "";
}
