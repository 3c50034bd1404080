/* stompy-cur-choice.h — what the AnalySaver step decided about the cost report
 *
 * Part of the onboarding model (StompyOnboarding owns one): the billing-access
 * confirmation, which report Stompy reads (an existing definition, one the app
 * created, a CUR 2.0 export, or one the user made in the console and named in
 * guided mode) and where it is delivered. Live facts (does the bucket exist,
 * has the first report arrived) are not kept here: the status panel asks AWS.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  STOMPY_CUR_KIND_LEGACY,       /* a Cost and Usage Report definition (nick "legacy") */
  STOMPY_CUR_KIND_DATA_EXPORT,  /* CUR 2.0 through AWS Data Exports (nick "data-export") */
} StompyCurKind;

typedef enum
{
  STOMPY_CUR_ORIGIN_NONE,       /* nothing chosen yet */
  STOMPY_CUR_ORIGIN_EXISTING,   /* an existing report that meets the four conditions */
  STOMPY_CUR_ORIGIN_CREATED,    /* created (or found equal and reused) by the app */
  STOMPY_CUR_ORIGIN_PASTED,     /* guided mode: made in the console, names typed back */
} StompyCurOrigin;

GType stompy_cur_kind_get_type   (void) G_GNUC_CONST;
GType stompy_cur_origin_get_type (void) G_GNUC_CONST;
#define STOMPY_TYPE_CUR_KIND   (stompy_cur_kind_get_type ())
#define STOMPY_TYPE_CUR_ORIGIN (stompy_cur_origin_get_type ())

#define STOMPY_TYPE_CUR_CHOICE (stompy_cur_choice_get_type ())

G_DECLARE_FINAL_TYPE (StompyCurChoice, stompy_cur_choice, STOMPY, CUR_CHOICE, GObject)

StompyCurChoice *stompy_cur_choice_new                  (void);

gboolean         stompy_cur_choice_get_billing_access_confirmed (StompyCurChoice *self);
void             stompy_cur_choice_set_billing_access_confirmed (StompyCurChoice *self,
                                                         gboolean         confirmed);
StompyCurKind    stompy_cur_choice_get_kind             (StompyCurChoice *self);
void             stompy_cur_choice_set_kind             (StompyCurChoice *self,
                                                         StompyCurKind    kind);
StompyCurOrigin  stompy_cur_choice_get_origin           (StompyCurChoice *self);
/* The report definition's name, or the export's name. */
const char      *stompy_cur_choice_get_report_name      (StompyCurChoice *self);
const char      *stompy_cur_choice_get_bucket           (StompyCurChoice *self);
const char      *stompy_cur_choice_get_prefix           (StompyCurChoice *self);
const char      *stompy_cur_choice_get_region           (StompyCurChoice *self);
/* Records the report in place (one notification burst). Strings may be NULL. */
void             stompy_cur_choice_set_report           (StompyCurChoice *self,
                                                         StompyCurOrigin  origin,
                                                         const char      *report_name,
                                                         const char      *bucket,
                                                         const char      *prefix,
                                                         const char      *region);
/* TRUE once a report is recorded (origin is not NONE and bucket and name are set). */
gboolean         stompy_cur_choice_is_complete          (StompyCurChoice *self);
void             stompy_cur_choice_clear                (StompyCurChoice *self);

/* State-file form: an object member of the onboarding file. */
void             stompy_cur_choice_to_json              (StompyCurChoice *self,
                                                         JsonBuilder     *builder);
/* Validates everything before changing anything; FALSE with *problem set. */
gboolean         stompy_cur_choice_load_json            (StompyCurChoice *self,
                                                         JsonObject      *object,
                                                         char           **problem);

G_END_DECLS
