/* ui-responsiveness.c — does the main loop ever stall during the whole flow in the UI?
 *
 * Built by bench/meson.build, run by bench/ui-responsiveness.sh (Xvfb, a private keyring, the
 * emulator with --delays zero). Drives the real window through the automatic flow as a user
 * would, with the UI test helpers: sign in, type the management account's key and verify it,
 * both products, a new report and its bucket (created by the app), the AnalySaver stack, the
 * SpoTainer stack, Connect and Stompy's checks, Done. Goal (issue #7): the main loop never
 * stalls longer than 50 ms.
 *
 * Two probes run on the default main context the whole time:
 *  - a G_PRIORITY_HIGH 1 ms timeout: the gap between two of its dispatches is how long the
 *    loop was busy with something else (a handler, a layout, a paint, a parse);
 *  - a tick callback on the window: the gap between two frame-clock ticks (≈ 16.7 ms at
 *    60 Hz when nothing stalls).
 * Each gap is charged to the step the driver is in. The driver never sleeps: it iterates the
 * context blocking (the 1 ms probe wakes it), so it adds no gap of its own beyond the widget
 * calls a user's click would make. Like a user, it reads a page for a moment (BENCH_THINK_MS,
 * 500 ms) before acting on it: the window may use that time, and the probes measure it too.
 * The window's construction is not measured here (that is bench/startup.sh); the probes start
 * once it has drawn its first frame.
 *
 * A loop gap is also given less the time the thread waited for a CPU (/proc/thread-self/
 * schedstat), since the machine may be shared: the "own" stall. Prints, per step and overall,
 * max and p99 of the loop gaps (wall and own) and of the frame intervals, and the worst step;
 * on standard error the window's widget counts at each step (and per page at the end) and each
 * own stall over 30 ms (BENCH_STALL_MS) with its times and what the frame clock did in it.
 * Exits 0 either way (a benchmark, not a test); aborts if the flow itself fails.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "stompy-analysaver-page-private.h"
#include "stompy-application.h"
#include "stompy-aws-account-section-private.h"
#include "stompy-billing-section-private.h"
#include "stompy-connect-page-private.h"
#include "stompy-cur-section-private.h"
#include "stompy-products-page-private.h"
#include "stompy-secret-store.h"
#include "stompy-sign-in-page-private.h"
#include "stompy-spotainer-page-private.h"
#include "stompy-stompy-account-section-private.h"
#include "stompy-template-section-private.h"
#include "stompy-test-emulator.h"
#include "stompy-test-ui.h"
#include "stompy-window-private.h"

#define OPS_EMAIL    "ops@example.com"
#define OPS_PASSWORD "correct horse battery staple"
#define MGMT_ACCOUNT "210987654321"
#define MGMT_KEY_ID  "AKIAEMULATORMGMT0001"
#define MGMT_SECRET  "EmulatorMgmtSecretKey/000000000000000010"
#define NEW_REPORT   "stompy-bench-cur"
#define TIMEOUT_US   (120 * G_USEC_PER_SEC)
#define GOAL_US      (50 * 1000)
/* Own stalls longer than this are named on standard error, with their times
 * (BENCH_STALL_MS=N to name shorter ones too). */
static gint64 stall_report_us = 30 * 1000;
/* How long the user reads what the window shows before each action (BENCH_THINK_MS, 500 by
 * default; 0 for a driver that acts as soon as it can, as before 2026-11-26). The probes run on
 * meanwhile: whatever the window does then is measured like the rest. */
static gint64 think_us = 500 * 1000;

/* ------------------------------------------------------------------ probes */

typedef struct
{
  const char *name;
  GArray     *loop_gaps;   /* gint64 µs between 1 ms probe dispatches */
  GArray     *own_gaps;    /* the same, less the time the thread waited for a CPU */
  GArray     *frame_gaps;  /* gint64 µs between frame-clock ticks */
} Step;

static GPtrArray *steps;
static Step *current;
static gint64 last_probe_us;
static gint64 last_tick_us;
static gint64 last_wait_us;

/* Time this thread has spent runnable but waiting for a CPU (the second field of
 * /proc/thread-self/schedstat, ns): on a loaded machine a gap is partly other processes' turn,
 * which is no stall of ours. -1 when the kernel does not tell. */
static gint64
runqueue_wait_us (void)
{
  char buffer[128];
  guint64 run_ns, wait_ns;
  FILE *file = fopen ("/proc/thread-self/schedstat", "r");
  gboolean ok;

  if (file == NULL)
    return -1;
  ok = fgets (buffer, sizeof buffer, file) != NULL
       && sscanf (buffer, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &run_ns, &wait_ns) == 2;
  fclose (file);

  return ok ? (gint64) (wait_ns / 1000) : -1;
}

static GtkWidget *measured_window;

/* Widgets, mapped widgets and mapped wrapping labels under @widget: what a layout pass walks. */
static GHashTable *widget_types;  /* type name → count, with BENCH_WIDGET_TYPES=1 */

static void
count_widgets (GtkWidget *widget,
               guint     *all,
               guint     *mapped,
               guint     *wrapping)
{
  (*all)++;
  if (widget_types != NULL)
    {
      const char *type = G_OBJECT_TYPE_NAME (widget);

      g_hash_table_insert (widget_types, (gpointer) type,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (widget_types,
                                                                                    type)) + 1));
    }
  if (gtk_widget_get_mapped (widget))
    {
      (*mapped)++;
      if (GTK_IS_LABEL (widget) && gtk_label_get_wrap (GTK_LABEL (widget)))
        (*wrapping)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_widgets (child, all, mapped, wrapping);
}

static void
enter_step (const char *name)
{
  Step *step = g_new0 (Step, 1);

  step->name = name;
  step->loop_gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  step->own_gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  step->frame_gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_ptr_array_add (steps, step);
  current = step;
  if (measured_window != NULL)
    {
      guint all = 0, mapped = 0, wrapping = 0;

      if (g_strcmp0 (g_getenv ("BENCH_WIDGET_TYPES"), "1") == 0)
        widget_types = g_hash_table_new (g_str_hash, g_str_equal);
      count_widgets (measured_window, &all, &mapped, &wrapping);
      g_printerr ("bench: %s (window: %u widgets, %u mapped, %u mapped wrapping labels)\n",
                  name, all, mapped, wrapping);
      if (widget_types != NULL)
        {
          GHashTableIter iter;
          gpointer key, value;

          g_hash_table_iter_init (&iter, widget_types);
          while (g_hash_table_iter_next (&iter, &key, &value))
            if (GPOINTER_TO_UINT (value) >= 20)
              g_printerr ("bench:   %s %u\n", (const char *) key, GPOINTER_TO_UINT (value));
          g_clear_pointer (&widget_types, g_hash_table_unref);
        }
    }
  else
    {
      g_printerr ("bench: %s\n", name);
    }
}

/* Where a gap went: the frame clock's phases that ran inside it (µs). "layout" is the style
 * validation, measuring and allocating of a frame, "paint" its snapshot and rendering (with the
 * GL renderer, also the wait for the rasterizer: with Mesa's llvmpipe under Xvfb a frame of a
 * bare 1000×900 libadwaita window takes about 28 ms); "other" is handlers and idles, and any
 * measuring done outside a frame's layout phase. */
static gint64 phase_start_us;
static gint64 gap_layout_us, gap_paint_us;
static guint gap_frames;

static void
before_paint_cb (GdkFrameClock *clock,
                 gpointer       user_data)
{
  phase_start_us = g_get_monotonic_time ();
}

/* Run after GTK's own handlers (connected after), so each runs when GTK has done that phase. */
static void
layout_done_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (phase_start_us != 0)
    gap_layout_us += now - phase_start_us;
  phase_start_us = now;
}

static void
paint_done_cb (GdkFrameClock *clock,
               gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (phase_start_us != 0)
    gap_paint_us += now - phase_start_us;
  phase_start_us = 0;
  gap_frames++;
}

static gboolean
probe_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wait = runqueue_wait_us ();

  if (last_probe_us != 0 && current != NULL)
    {
      gint64 gap = now - last_probe_us;
      gint64 own = wait >= 0 && last_wait_us >= 0 ? MAX (gap - (wait - last_wait_us), 0) : gap;

      g_array_append_val (current->loop_gaps, gap);
      g_array_append_val (current->own_gaps, own);
      /* Where to look in a profile (perf record -k CLOCK_MONOTONIC: the same clock). */
      if (own > stall_report_us)
        g_printerr ("bench: stall of %.1f ms (own %.1f ms) from %.6f to %.6f s in “%s”: "
                    "%u frames, layout %.1f ms, paint %.1f ms, other %.1f ms\n",
                    gap / 1000.0, own / 1000.0, last_probe_us / 1e6, now / 1e6, current->name,
                    gap_frames, gap_layout_us / 1000.0, gap_paint_us / 1000.0,
                    MAX (gap - gap_layout_us - gap_paint_us, 0) / 1000.0);
    }
  gap_layout_us = gap_paint_us = 0;
  gap_frames = 0;
  last_probe_us = now;
  last_wait_us = wait;
  return G_SOURCE_CONTINUE;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick_us != 0 && current != NULL)
    {
      gint64 gap = now - last_tick_us;

      g_array_append_val (current->frame_gaps, gap);
    }
  last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

/* Runs the loop until @cond, blocking between events (the 1 ms probe keeps waking it). */
#define RUN_UNTIL(cond) \
  G_STMT_START { \
    gint64 run_deadline = g_get_monotonic_time () + TIMEOUT_US; \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > run_deadline) \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond); \
        g_main_context_iteration (NULL, TRUE); \
      } \
  } G_STMT_END

/* ------------------------------------------------------------------ figures */

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
figures (GArray *gaps,
         gint64 *max,
         gint64 *p99)
{
  g_autoptr(GArray) sorted = NULL;

  *max = *p99 = 0;
  if (gaps->len == 0)
    return;
  sorted = g_array_copy (gaps);
  g_array_sort (sorted, compare_gint64);
  *max = g_array_index (sorted, gint64, sorted->len - 1);
  *p99 = g_array_index (sorted, gint64, (sorted->len - 1) * 99 / 100);
}

static void
print_figures (void)
{
  g_autoptr(GArray) all_loop = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) all_own = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) all_frame = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *worst_step = NULL, *worst_own_step = NULL;
  gint64 worst = 0, worst_own = 0, max, p99, omax, op99, fmax, fp99;

  g_print ("| step | probes | max loop gap | p99 | max own stall | p99 | frames | max frame gap | p99 |\n");
  g_print ("|---|---|---|---|---|---|---|---|---|\n");
  for (guint i = 0; i < steps->len; i++)
    {
      Step *step = g_ptr_array_index (steps, i);

      figures (step->loop_gaps, &max, &p99);
      figures (step->own_gaps, &omax, &op99);
      figures (step->frame_gaps, &fmax, &fp99);
      g_print ("| %s | %u | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %u | %.1f ms | %.1f ms |\n",
               step->name, step->loop_gaps->len, max / 1000.0, p99 / 1000.0, omax / 1000.0,
               op99 / 1000.0, step->frame_gaps->len, fmax / 1000.0, fp99 / 1000.0);
      if (max > worst)
        {
          worst = max;
          worst_step = step->name;
        }
      if (omax > worst_own)
        {
          worst_own = omax;
          worst_own_step = step->name;
        }
      g_array_append_vals (all_loop, step->loop_gaps->data, step->loop_gaps->len);
      g_array_append_vals (all_own, step->own_gaps->data, step->own_gaps->len);
      g_array_append_vals (all_frame, step->frame_gaps->data, step->frame_gaps->len);
    }

  figures (all_loop, &max, &p99);
  figures (all_own, &omax, &op99);
  figures (all_frame, &fmax, &fp99);
  g_print ("\nWhole flow: longest main-loop gap %.1f ms (in “%s”), p99 %.1f ms; less the time "
           "spent waiting for a CPU (own stall) %.1f ms (in “%s”), p99 %.1f ms; longest frame "
           "interval %.1f ms, p99 %.1f ms. Goal ≤ 50 ms: %s (wall), %s (own)\n",
           max / 1000.0, worst_step ? worst_step : "-", p99 / 1000.0, omax / 1000.0,
           worst_own_step ? worst_own_step : "-", op99 / 1000.0, fmax / 1000.0, fp99 / 1000.0,
           max <= GOAL_US ? "met" : "NOT met", omax <= GOAL_US ? "met" : "NOT met");
  g_print ("Driver: %" G_GINT64_FORMAT " ms read before each action (BENCH_THINK_MS); renderer: %s\n",
           think_us / 1000, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "GTK's default");
  {
    double load[3];

    if (getloadavg (load, 3) == 3)
      g_print ("Load average at the end: %.2f (%u CPUs)\n", load[0], g_get_num_processors ());
  }
}

/* ------------------------------------------------------------------ the flow */

static void
think (void)
{
  gint64 until = g_get_monotonic_time () + think_us;

  RUN_UNTIL (g_get_monotonic_time () >= until);
}

static void
click (gpointer button)
{
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

static void
go_on (StompyWindow *window,
       StompyStep    expected)
{
  think ();
  RUN_UNTIL (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  g_printerr ("bench: Continue pressed at %.6f s\n", g_get_monotonic_time () / 1e6);
  click (window->primary_button);
  RUN_UNTIL (stompy_window_get_step (window) == expected && !window->submitting);
}

static void
create_stack (StompyTemplateSection *section)
{
  RUN_UNTIL (section->template != NULL && !section->loading);
  think ();
  gtk_check_button_set_active (section->ack_check, TRUE);
  click (section->create_button);
  RUN_UNTIL (stompy_stack_record_is_complete (section->record) && !section->following
             && !section->creating);
  g_assert_cmpstr (stompy_stack_record_get_status (section->record), ==, "CREATE_COMPLETE");
}

static void
painted_cb (GdkFrameClock *clock,
            gpointer       user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
run_flow (StompyApplication  *app,
          StompyTestEmulator *emulator)
{
  StompyWindow *window = stompy_window_new (app);
  StompySignInPage *sign_in;
  StompyStompyAccountSection *stompy;
  StompyAwsAccountSection *aws;
  StompyProductsPage *products;
  StompyAnalysaverPage *analysaver;
  StompyCurSection *cur;
  StompySpotainerPage *spotainer;
  StompyConnectPage *connect;
  gboolean drawn = FALSE;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_present (GTK_WINDOW (window));
  stompy_window_start (window);
  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
    gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &drawn);

    RUN_UNTIL (drawn);
    g_signal_handler_disconnect (clock, id);
  }
  /* The probe ran before the window was built, and its next gap would span
   * the construction and first frame (bench/startup.sh's figure) and be
   * charged to the first step: the gaps count from here. */
  last_probe_us = 0;
  gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, NULL, NULL);
  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

    g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
    g_signal_connect_after (clock, "layout", G_CALLBACK (layout_done_cb), NULL);
    g_signal_connect_after (clock, "paint", G_CALLBACK (paint_done_cb), NULL);
  }
  measured_window = GTK_WIDGET (window);

  sign_in = STOMPY_SIGN_IN_PAGE (_stompy_window_get_page (window, STOMPY_STEP_SIGN_IN));
  stompy = sign_in->stompy_section;
  aws = sign_in->aws_section;

  enter_step ("sign in to Stompy");
  RUN_UNTIL (!stompy->checking_session);
  think ();
  stompy_test_set_text (stompy->email_row, OPS_EMAIL);
  stompy_test_set_text (stompy->password_row, OPS_PASSWORD);
  click (stompy->sign_in_button);
  RUN_UNTIL (!stompy->signing_in && !stompy->saving_token);
  g_assert_true (stompy->signed_in);

  enter_step ("AWS key typed and verified");
  think ();
  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_TYPED);
  stompy_test_set_text (aws->access_key_row, MGMT_KEY_ID);
  stompy_test_set_text (aws->secret_row, MGMT_SECRET);
  gtk_switch_set_active (aws->remember_switch, TRUE);
  click (aws->verify_button);
  RUN_UNTIL (!aws->verifying);
  g_assert_nonnull (stompy_onboarding_get_identity (stompy_application_get_model (app)));

  enter_step ("products");
  go_on (window, STOMPY_STEP_PRODUCTS);
  products = STOMPY_PRODUCTS_PAGE (_stompy_window_get_page (window, STOMPY_STEP_PRODUCTS));
  think ();
  gtk_check_button_set_active (products->analysaver_check, TRUE);
  gtk_check_button_set_active (products->spotainer_check, TRUE);

  enter_step ("AnalySaver page, reports listed");
  go_on (window, STOMPY_STEP_ANALYSAVER);
  analysaver = STOMPY_ANALYSAVER_PAGE (_stompy_window_get_page (window, STOMPY_STEP_ANALYSAVER));
  cur = analysaver->cur_section;
  gtk_switch_set_active (analysaver->billing_section->confirm_switch, TRUE);
  RUN_UNTIL (cur->reports_loaded && !cur->loading);
  think ();

  enter_step ("new report and bucket created");
  gtk_toggle_button_set_active (cur->new_toggle, TRUE);
  stompy_test_set_text (cur->report_name_row, NEW_REPORT);
  stompy_test_set_text (cur->bucket_row, "stompy-cur-" MGMT_ACCOUNT);
  gtk_check_button_set_active (cur->policy_check, TRUE);
  click (cur->create_button);
  RUN_UNTIL (!cur->creating);
  g_assert_true (stompy_section_get_ready (STOMPY_SECTION (cur)));

  enter_step ("AnalySaver stack created and followed");
  create_stack (analysaver->template_section);
  RUN_UNTIL (stompy_page_get_state (STOMPY_PAGE (analysaver)) == STOMPY_PAGE_STATE_READY);

  enter_step ("SpoTainer stack created and followed");
  go_on (window, STOMPY_STEP_SPOTAINER);
  spotainer = STOMPY_SPOTAINER_PAGE (_stompy_window_get_page (window, STOMPY_STEP_SPOTAINER));
  create_stack (spotainer->template_section);

  enter_step ("Connect and Stompy's checks");
  go_on (window, STOMPY_STEP_CONNECT);
  connect = STOMPY_CONNECT_PAGE (_stompy_window_get_page (window, STOMPY_STEP_CONNECT));
  RUN_UNTIL (connect->follow_idle == 0);
  RUN_UNTIL (stompy_page_get_state (STOMPY_PAGE (connect)) == STOMPY_PAGE_STATE_READY);
  think ();
  click (window->primary_button);
  RUN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_DONE && !window->submitting);

  enter_step ("Done page shown");
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    /* Half a second of the Done page: whatever it starts or animates. */
    RUN_UNTIL (g_get_monotonic_time () > until);
  }
  current = NULL;
  {
    guint all = 0, mapped = 0, wrapping = 0;

    count_widgets (measured_window, &all, &mapped, &wrapping);
    g_printerr ("bench: end (window: %u widgets, %u mapped, %u mapped wrapping labels)\n",
                all, mapped, wrapping);
    /* Which part of the window they are in. */
    for (StompyStep step = STOMPY_STEP_SIGN_IN; step <= STOMPY_STEP_DONE; step++)
      if (window->pages[step] != NULL)
        {
          all = mapped = wrapping = 0;
          count_widgets (GTK_WIDGET (window->pages[step]), &all, &mapped, &wrapping);
          g_printerr ("bench:   %s page: %u widgets\n",
                      G_OBJECT_TYPE_NAME (window->pages[step]), all);
        }
    all = mapped = wrapping = 0;
    count_widgets (GTK_WIDGET (_stompy_window_get_status_panel (window)), &all, &mapped, &wrapping);
    g_printerr ("bench:   status panel: %u widgets\n", all);
  }

  {
    g_autoptr(JsonNode) stats = stompy_test_emulator_get_stats (emulator);
    JsonObject *object = json_node_get_object (stats);
    JsonObject *requests = json_object_get_object_member (object, "requests");
    g_autoptr(GList) names = json_object_get_members (requests);
    gint64 total = 0;

    for (GList *l = names; l != NULL; l = l->next)
      total += json_object_get_int_member (requests, l->data);
    g_print ("Emulator: %" G_GINT64_FORMAT " requests over %" G_GINT64_FORMAT
             " connections (AWS and Stompy are one endpoint here)\n\n", total,
             json_object_get_int_member (object, "connections"));
  }

  measured_window = NULL;
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  StompyApplication *app;
  StompyTestEmulator *emulator;
  g_autoptr(GError) error = NULL;

  /* Not gtk_test_init(): the app as it runs for a user (animations, no test log handler). */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STOMPY_LOCALEDIR") ? g_getenv ("STOMPY_LOCALEDIR")
                                                                   : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_init ();
  steps = g_ptr_array_new ();
  if (g_getenv ("BENCH_THINK_MS") != NULL)
    think_us = g_ascii_strtoll (g_getenv ("BENCH_THINK_MS"), NULL, 10) * 1000;
  if (g_getenv ("BENCH_STALL_MS") != NULL)
    stall_report_us = g_ascii_strtoll (g_getenv ("BENCH_STALL_MS"), NULL, 10) * 1000;

  emulator = stompy_test_emulator_start ();
  g_setenv ("AWS_ENDPOINT_URL", stompy_test_emulator_get_url (emulator), TRUE);
  g_setenv ("STOMPY_API_URL", stompy_test_emulator_get_api_url (emulator), TRUE);

  app = stompy_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Cannot register the application: %s", error->message);

  /* The probe outranks every other source, so it runs as soon as the loop is free. */
  g_timeout_add_full (G_PRIORITY_HIGH, 1, probe_cb, NULL, NULL);

  run_flow (app, emulator);
  print_figures ();

  stompy_test_ui_shutdown (&app, &emulator);
  return 0;
}
