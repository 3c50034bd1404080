/* stompy-application.h — the application: one model, one HTTP session, the clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-api-client.h"
#include "stompy-aws-client.h"
#include "stompy-onboarding.h"
#include "stompy-status-poller.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_APPLICATION (stompy_application_get_type ())

G_DECLARE_FINAL_TYPE (StompyApplication, stompy_application, STOMPY, APPLICATION, AdwApplication)

StompyApplication *stompy_application_new             (void) G_GNUC_WARN_UNUSED_RESULT;
/* Valid after startup. */
StompyOnboarding  *stompy_application_get_model       (StompyApplication *self);
/* NULL when the io.stompy.Connect schema is not installed. */
GSettings         *stompy_application_get_settings    (StompyApplication *self);
SoupSession       *stompy_application_get_session     (StompyApplication *self);
/* NULL when the configured API URL is not allowed (the error is kept). */
StompyApiClient   *stompy_application_get_api_client  (StompyApplication *self);
const GError      *stompy_application_get_api_error   (StompyApplication *self);
/* The AWS client of the verified credentials, NULL until verified. */
StompyAwsClient   *stompy_application_get_aws_client  (StompyApplication *self);
void               stompy_application_set_aws_client  (StompyApplication *self,
                                                       StompyAwsClient   *client);
/* Valid after startup: the one follower of the model's bucket, report and
 * stacks, which the status panel shows and the run-template sections follow
 * (one set of AWS requests per stack, however many widgets show it). Its
 * client is the "aws-client" property's; it starts once the window is shown. */
StompyStatusPoller *stompy_application_get_status_poller (StompyApplication *self);
/* The region proposed for new resources: the default-region setting, else ap-southeast-1. */
char              *stompy_application_dup_default_region (StompyApplication *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
