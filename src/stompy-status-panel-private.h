/* stompy-status-panel-private.h — the panel's parts, for the window and the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-status-panel.h"
#include "stompy-status-poller.h"

G_BEGIN_DECLS

/* What a row's status icon says. */
typedef enum
{
  STOMPY_STATUS_MARK_NONE,       /* nothing shown */
  STOMPY_STATUS_MARK_CHECKING,   /* a spinner: being looked at, or in progress */
  STOMPY_STATUS_MARK_YES,        /* ✓ */
  STOMPY_STATUS_MARK_NO,         /* ✗ */
  STOMPY_STATUS_MARK_WAITING,    /* not yet, and expected later */
  STOMPY_STATUS_MARK_UNCHECKED,  /* not checked (guided mode, or AWS would not say) */
  STOMPY_STATUS_MARK_ERROR,      /* could not be checked */
  STOMPY_STATUS_MARK_IN_PROGRESS, /* a still icon: a stack being made, for minutes */
} StompyStatusMark;

/* One row with a status icon in front. */
typedef struct
{
  AdwActionRow     *row;
  GtkStack         *indicator;
  GtkImage         *icon;
  GtkSpinner       *spinner;
  StompyStatusMark  mark;
} StompyStatusRow;

#define STOMPY_STATUS_PANEL_EVENTS 3

/* One product's stack. */
typedef struct
{
  StompyProducts       product;
  AdwPreferencesGroup *group;
  StompyStatusRow      status;
  GtkProgressBar      *progress;
  AdwExpanderRow      *events_row;
  AdwActionRow        *event_rows[STOMPY_STATUS_PANEL_EVENTS];
  StompyStatusRow      failure;
  StompyStatusRow      role_arn;
  StompyStatusRow      error;
} StompyStatusStackGroup;

/* One of Stompy's verification checks. */
typedef struct
{
  char            *check_id;   /* "assume_analysaver_role", … */
  StompyStatusRow  row;
} StompyStatusCheckRow;

struct _StompyStatusPanel
{
  GtkWidget               parent_instance;

  /* Template children */
  GtkButton              *copy_button;
  GtkButton              *refresh_button;
  AdwPreferencesGroup    *bucket_group;
  AdwPreferencesGroup    *report_group;
  AdwPreferencesGroup    *analysaver_group;
  AdwPreferencesGroup    *spotainer_group;
  AdwPreferencesGroup    *stompy_group;

  StompyApplication      *application;
  StompyOnboarding       *model;
  StompyStatusPoller     *poller;                 /* the application's */

  /* The bucket */
  StompyStatusRow         bucket_exists;
  StompyStatusRow         bucket_region;
  StompyStatusRow         bucket_policy;
  StompyStatusRow         bucket_public_access;
  StompyStatusRow         bucket_delivered;
  StompyStatusRow         bucket_error;

  /* The report */
  StompyStatusRow         report_found;
  StompyStatusRow         report_conditions[4];   /* resource IDs, refresh, hourly, Athena */
  StompyStatusRow         report_error;

  StompyStatusStackGroup  stacks[2];              /* AnalySaver, SpoTainer */

  /* Stompy: read from the model's connection, never asked here */
  StompyStatusRow         stompy_status;
  GPtrArray              *stompy_checks;          /* of StompyStatusCheckRow*, in Stompy's order */
  StompyStatusRow         stompy_error;
};

StompyStatusPoller     *_stompy_status_panel_get_poller (StompyStatusPanel *self);
StompyStatusStackGroup *_stompy_status_panel_get_stack  (StompyStatusPanel *self,
                                                         StompyProducts     product);

/* The row of Stompy's check @check_id, or NULL when none is shown. */
StompyStatusCheckRow   *_stompy_status_panel_get_check  (StompyStatusPanel *self,
                                                         const char        *check_id);

G_END_DECLS
