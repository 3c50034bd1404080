/* stompy-stack-record.h — one product's role stack, as the wizard knows it
 *
 * Part of the onboarding model (one for AnalySaver, one for SpoTainer): which
 * stack was asked for and how to find it again after a restart (its id and the
 * ClientRequestToken, so a retried CreateStack is recognised by CloudFormation),
 * the last status seen, and the RoleArn — read from the stack's outputs, or
 * pasted by the user in guided mode.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define STOMPY_TYPE_STACK_RECORD (stompy_stack_record_get_type ())

G_DECLARE_FINAL_TYPE (StompyStackRecord, stompy_stack_record, STOMPY, STACK_RECORD, GObject)

StompyStackRecord *stompy_stack_record_new                   (void);

const char *stompy_stack_record_get_stack_name           (StompyStackRecord *self);
void        stompy_stack_record_set_stack_name           (StompyStackRecord *self,
                                                          const char        *stack_name);
const char *stompy_stack_record_get_region               (StompyStackRecord *self);
void        stompy_stack_record_set_region               (StompyStackRecord *self,
                                                          const char        *region);
gboolean    stompy_stack_record_get_iam_acknowledged     (StompyStackRecord *self);
void        stompy_stack_record_set_iam_acknowledged     (StompyStackRecord *self,
                                                          gboolean           acknowledged);
/* Made once per creation attempt and kept, so a retry after a crash reuses it. */
const char *stompy_stack_record_get_client_request_token (StompyStackRecord *self);
void        stompy_stack_record_set_client_request_token (StompyStackRecord *self,
                                                          const char        *token);
const char *stompy_stack_record_get_stack_id             (StompyStackRecord *self);
void        stompy_stack_record_set_stack_id             (StompyStackRecord *self,
                                                          const char        *stack_id);
/* The last StackStatus seen ("CREATE_IN_PROGRESS", …) and its reason. */
const char *stompy_stack_record_get_status               (StompyStackRecord *self);
const char *stompy_stack_record_get_status_reason        (StompyStackRecord *self);
void        stompy_stack_record_set_status               (StompyStackRecord *self,
                                                          const char        *status,
                                                          const char        *reason);
const char *stompy_stack_record_get_role_arn             (StompyStackRecord *self);
gboolean    stompy_stack_record_get_role_arn_pasted      (StompyStackRecord *self);
/* @pasted: typed by the user (guided mode) rather than read from the outputs. */
void        stompy_stack_record_set_role_arn             (StompyStackRecord *self,
                                                          const char        *role_arn,
                                                          gboolean           pasted);
/* TRUE once a RoleArn is known. */
gboolean    stompy_stack_record_is_complete              (StompyStackRecord *self);
void        stompy_stack_record_clear                    (StompyStackRecord *self);

void        stompy_stack_record_to_json                  (StompyStackRecord *self,
                                                          JsonBuilder       *builder);
gboolean    stompy_stack_record_load_json                (StompyStackRecord *self,
                                                          JsonObject        *object,
                                                          char             **problem);

G_END_DECLS
