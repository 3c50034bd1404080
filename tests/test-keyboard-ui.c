/* test-keyboard-ui.c — the whole wizard walked with the keyboard alone, and every control named
 *
 * Runs under Xvfb (tests/with-keyring.sh) against the project's emulator. The
 * flow test is driven by real X key events sent through the XTest extension,
 * as a keyboard would send them: Tab, mnemonics (Alt+letter), Space, Enter and
 * Escape, and text typed key by key. The test never activates a widget itself:
 * it reads the window (what has the focus, what a page shows, the accessible
 * state GTK_A11Y=test keeps) and waits for what each key should do.
 *
 * A second test walks the widget tree of the window and of every page and
 * fails on any focusable control that has no accessible name.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gdk/x11/gdkx.h>
#include <X11/XKBlib.h>
#include <X11/extensions/XTest.h>

#include "stompy-analysaver-page-private.h"
#include "stompy-application.h"
#include "stompy-aws-account-section-private.h"
#include "stompy-billing-section-private.h"
#include "stompy-connect-page-private.h"
#include "stompy-cur-section-private.h"
#include "stompy-done-page-private.h"
#include "stompy-form.h"
#include "stompy-preferences-window.h"
#include "stompy-products-page-private.h"
#include "stompy-secret-store.h"
#include "stompy-sign-in-page-private.h"
#include "stompy-spotainer-page-private.h"
#include "stompy-status-panel-private.h"
#include "stompy-stompy-account-section-private.h"
#include "stompy-template-section-private.h"
#include "stompy-test-emulator.h"
#include "stompy-test-ui.h"
#include "stompy-test-util.h"
#include "stompy-window-private.h"

#define OPS_EMAIL        "ops@example.com"
#define OPS_PASSWORD     "correct horse battery staple"
#define MGMT_KEY_ID      "AKIAEMULATORMGMT0001"
#define MGMT_SECRET      "EmulatorMgmtSecretKey/000000000000000010"
#define MGMT_ACCOUNT     "210987654321"
#define NEW_REPORT       "keyboard-cur"
#define NEW_BUCKET       "keyboard-cur-" MGMT_ACCOUNT
#define SPIN_TIMEOUT_US  (30 * G_USEC_PER_SEC)

#define SPIN_UNTIL(cond) STOMPY_TEST_SPIN_UNTIL (cond, SPIN_TIMEOUT_US)

static StompyTestEmulator *emulator;
static StompyApplication *app;

/* ------------------------------------------------------------ the keyboard */

static Display *
x_display (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  return gdk_x11_display_get_xdisplay (display);
}

static void
fake_key (Display *dpy,
          KeySym   sym,
          gboolean press)
{
  KeyCode code = XKeysymToKeycode (dpy, sym);

  g_assert_cmpuint (code, !=, 0);
  XTestFakeKeyEvent (dpy, code, press, CurrentTime);
}

/* Presses and releases the key of @keyval (an X keysym) with @mods held, and
 * Shift too when the keyval is on the shifted level of its key. */
static void
send_key (GtkWidget       *widget,
          guint            keyval,
          GdkModifierType  mods)
{
  Display *dpy = x_display (widget);
  KeyCode code = XKeysymToKeycode (dpy, keyval);
  gboolean shift = (mods & GDK_SHIFT_MASK) != 0;

  g_assert_cmpuint (code, !=, 0);
  if (XkbKeycodeToKeysym (dpy, code, 0, 0) != keyval
      && XkbKeycodeToKeysym (dpy, code, 0, 1) == keyval)
    shift = TRUE;

  if (mods & GDK_CONTROL_MASK)
    fake_key (dpy, XK_Control_L, TRUE);
  if (mods & GDK_ALT_MASK)
    fake_key (dpy, XK_Alt_L, TRUE);
  if (shift)
    fake_key (dpy, XK_Shift_L, TRUE);
  XTestFakeKeyEvent (dpy, code, True, CurrentTime);
  XTestFakeKeyEvent (dpy, code, False, CurrentTime);
  if (shift)
    fake_key (dpy, XK_Shift_L, FALSE);
  if (mods & GDK_ALT_MASK)
    fake_key (dpy, XK_Alt_L, FALSE);
  if (mods & GDK_CONTROL_MASK)
    fake_key (dpy, XK_Control_L, FALSE);
  XFlush (dpy);
}

/* Types @text key by key (ASCII). */
static void
type_text (GtkWidget  *widget,
           const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    send_key (widget, gdk_unicode_to_keyval ((guchar) *p), 0);
}

static GtkWidget *
focus_of (StompyWindow *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

/* Whether the keyboard focus is @widget or inside it (an entry row's text). */
static gboolean
has_focus_in (StompyWindow *window,
              gpointer      widget)
{
  GtkWidget *focus = focus_of (window);

  return focus != NULL
         && (focus == GTK_WIDGET (widget) || gtk_widget_is_ancestor (focus, GTK_WIDGET (widget)));
}

static const char *
row_text (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* Mnemonic Alt+@letter, and wait until the focus is in @expected. */
static void
mnemonic_to (StompyWindow *window,
             char          letter,
             gpointer      expected)
{
  send_key (GTK_WIDGET (window), gdk_unicode_to_keyval (letter), GDK_ALT_MASK);
  SPIN_UNTIL (has_focus_in (window, expected));
}

/* Empties the entry that has the focus, then types @text into it. */
static void
retype (StompyWindow *window,
        gpointer      row,
        const char   *text)
{
  g_assert_true (has_focus_in (window, row));
  send_key (GTK_WIDGET (window), GDK_KEY_a, GDK_CONTROL_MASK);
  send_key (GTK_WIDGET (window), GDK_KEY_BackSpace, 0);
  SPIN_UNTIL (*row_text (row) == '\0');
  type_text (GTK_WIDGET (window), text);
  SPIN_UNTIL (g_strcmp0 (row_text (row), text) == 0);
}

/* The field the focus is in is marked invalid for assistive technologies:
 * the state and the reason, on the row and on the text that has the focus. */
static void
assert_focused_invalid (StompyWindow *window,
                        gpointer      row)
{
  GtkWidget *focus = focus_of (window);

  g_assert_true (has_focus_in (window, row));
  g_assert_true (stompy_form_get_field_error (row));
  gtk_test_accessible_assert_state (row, GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_test_accessible_assert_state (focus, GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (focus),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
}

static void
assert_valid (gpointer row)
{
  g_assert_false (stompy_form_get_field_error (row));
  g_assert_false (gtk_test_accessible_has_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID));
}

/* ------------------------------------------------------------------ helpers */

static StompyApplication *
get_app (void)
{
  if (app != NULL)
    return app;

  emulator = stompy_test_emulator_start ();
  stompy_test_point_at_emulator (emulator);
  app = stompy_test_application_new (NULL);

  return app;
}

static StompyOnboarding *
model (void)
{
  return stompy_application_get_model (get_app ());
}

/* No saved progress, no token, no remembered key. */
static void
reset_world (void)
{
  /* get_app() starts the emulator on first use. */
  StompyApplication *application = get_app ();

  stompy_test_reset_world (application, emulator, MGMT_KEY_ID);
}

static guint probes_seen;

static gboolean
probe_key_cb (GtkEventControllerKey *controller,
              guint                  keyval,
              guint                  keycode,
              GdkModifierType        state,
              gpointer               user_data)
{
  if (keyval == GDK_KEY_Shift_R)
    probes_seen++;
  return GDK_EVENT_PROPAGATE;
}

/* After a popover closes, GDK gives the keyboard back to the window a little
 * later: until then keys go to the popover's hidden surface and are lost.
 * Taps Shift_R (which does nothing) until the window sees one. */
static void
wait_keyboard_back (StompyWindow *window)
{
  Display *dpy = x_display (GTK_WIDGET (window));
  gint64 deadline = g_get_monotonic_time () + SPIN_TIMEOUT_US;
  guint before = probes_seen;

  while (probes_seen == before)
    {
      gint64 next_tap = g_get_monotonic_time () + 50 * 1000;

      if (g_get_monotonic_time () > deadline)
        g_error ("the keyboard did not come back to the window");
      fake_key (dpy, XK_Shift_R, TRUE);
      fake_key (dpy, XK_Shift_R, FALSE);
      XFlush (dpy);
      while (probes_seen == before && g_get_monotonic_time () < next_tap)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
    }
}

/* Opens the window and gives it the keyboard, as a window manager would. */
static StompyWindow *
open_window (void)
{
  StompyWindow *window = stompy_window_new (get_app ());
  GtkEventController *probe;
  GdkSurface *surface;
  Display *dpy;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_present (GTK_WINDOW (window));
  stompy_window_start (window);
  SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  surface = gtk_native_get_surface (GTK_NATIVE (window));
  dpy = x_display (GTK_WIDGET (window));
  XSetInputFocus (dpy, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XFlush (dpy);
  SPIN_UNTIL (gtk_window_is_active (GTK_WINDOW (window)));
  /* It only watches: it takes no key. */
  probe = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (probe, GTK_PHASE_CAPTURE);
  g_signal_connect (probe, "key-pressed", G_CALLBACK (probe_key_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (window), probe);
  return window;
}

static StompySignInPage *
sign_in_page (StompyWindow *window)
{
  return STOMPY_SIGN_IN_PAGE (_stompy_window_get_page (window, STOMPY_STEP_SIGN_IN));
}

static StompyPage *
page_at (StompyWindow *window,
         StompyStep    step)
{
  return _stompy_window_get_page (window, step);
}

static void
wait_for_step (StompyWindow *window,
               StompyStep    step)
{
  SPIN_UNTIL (stompy_window_get_step (window) == step && !window->submitting);
  /* While the pages slide, the mnemonics of both are there. */
  SPIN_UNTIL (!gtk_stack_get_transition_running (window->stack));
  g_assert_true (gtk_stack_get_visible_child (window->stack) == GTK_WIDGET (page_at (window, step)));
}

/* Where the focus is once the page of the step is shown: the window moves it
 * as it shows the page and checks it from an idle after the page's first
 * frame. */
static GtkWidget *
landed_focus (StompyWindow *window)
{
  SPIN_UNTIL (window->focus_page_idle == 0);
  return focus_of (window);
}

/* Enter, with the focus on nothing that takes Enter itself: the window's
 * default widget, the primary button, goes on to @next. */
static void
enter_continues (StompyWindow *window,
                 StompyStep    next)
{
  SPIN_UNTIL (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window))
                 == GTK_WIDGET (window->primary_button));
  send_key (GTK_WIDGET (window), GDK_KEY_Return, 0);
  wait_for_step (window, next);
}

/* --------------------------------------------------------------- the flow */

/* Whether the popover @widget is in is hidden, its surface too (and with it
 * the keyboard grab a popover takes under X11). */
static gboolean
popover_gone (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = native != NULL ? gtk_native_get_surface (native) : NULL;

  return native == NULL
         || (!gtk_widget_get_visible (GTK_WIDGET (native))
             && (surface == NULL || !gdk_surface_get_mapped (surface)));
}

static void
walk_sign_in (StompyWindow *window)
{
  StompyStompyAccountSection *stompy = sign_in_page (window)->stompy_section;
  StompyAwsAccountSection *aws = sign_in_page (window)->aws_section;
  GtkWidget *popover_list;

  SPIN_UNTIL (!stompy->checking_session);

  /* Enter in an empty form: the first invalid field, the email, gets the
   * focus, marked invalid with its reason. */
  mnemonic_to (window, 'p', stompy->password_row);
  send_key (GTK_WIDGET (window), GDK_KEY_Return, 0);
  SPIN_UNTIL (has_focus_in (window, stompy->email_row));
  assert_focused_invalid (window, stompy->email_row);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (stompy->error_label)));
  gtk_test_accessible_assert_role (stompy->error_label, GTK_ACCESSIBLE_ROLE_ALERT);

  /* Typing clears the mark; Tab goes on to the password. */
  type_text (GTK_WIDGET (window), OPS_EMAIL);
  SPIN_UNTIL (g_strcmp0 (row_text (stompy->email_row), OPS_EMAIL) == 0);
  assert_valid (stompy->email_row);
  send_key (GTK_WIDGET (window), GDK_KEY_Tab, 0);
  SPIN_UNTIL (has_focus_in (window, stompy->password_row));
  type_text (GTK_WIDGET (window), OPS_PASSWORD);
  SPIN_UNTIL (g_strcmp0 (row_text (stompy->password_row), OPS_PASSWORD) == 0);
  /* Enter in the password signs in. */
  send_key (GTK_WIDGET (window), GDK_KEY_Return, 0);
  SPIN_UNTIL (stompy->signed_in && !stompy->signing_in && !stompy->saving_token);

  /* The credentials: Alt+R opens the list, Escape closes it and cancels nothing. */
  SPIN_UNTIL (gtk_widget_is_sensitive (GTK_WIDGET (aws->source_row)));
  send_key (GTK_WIDGET (window), GDK_KEY_r, GDK_ALT_MASK);
  SPIN_UNTIL ((popover_list = gtk_root_get_focus (GTK_ROOT (window))) != NULL
              && gtk_widget_get_native (popover_list) != GTK_NATIVE (window));
  send_key (GTK_WIDGET (window), GDK_KEY_Escape, 0);
  SPIN_UNTIL (!gtk_widget_get_mapped (popover_list));
  /* The focus goes back to the row, once the popover is gone. */
  SPIN_UNTIL (has_focus_in (window, aws->source_row) && popover_gone (popover_list));
  wait_keyboard_back (window);
  g_assert_true (stompy_sign_in_page_get_signed_in (sign_in_page (window)));

  /* Again, and Down to "Access key". */
  send_key (GTK_WIDGET (window), GDK_KEY_r, GDK_ALT_MASK);
  SPIN_UNTIL ((popover_list = gtk_root_get_focus (GTK_ROOT (window))) != NULL
              && gtk_widget_get_native (popover_list) != GTK_NATIVE (window)
              && gtk_widget_get_mapped (popover_list));
  for (guint i = adw_combo_row_get_selected (aws->source_row); i < STOMPY_CREDENTIAL_SOURCE_TYPED; i++)
    send_key (GTK_WIDGET (window), GDK_KEY_Down, 0);
  send_key (GTK_WIDGET (window), GDK_KEY_Return, 0);
  SPIN_UNTIL (adw_combo_row_get_selected (aws->source_row) == STOMPY_CREDENTIAL_SOURCE_TYPED
              && !gtk_widget_get_mapped (popover_list));
  SPIN_UNTIL (has_focus_in (window, aws->source_row) && popover_gone (popover_list));
  wait_keyboard_back (window);

  mnemonic_to (window, 'k', aws->access_key_row);
  type_text (GTK_WIDGET (window), MGMT_KEY_ID);
  SPIN_UNTIL (g_strcmp0 (row_text (aws->access_key_row), MGMT_KEY_ID) == 0);
  mnemonic_to (window, 's', aws->secret_row);
  type_text (GTK_WIDGET (window), MGMT_SECRET);
  SPIN_UNTIL (g_strcmp0 (row_text (aws->secret_row), MGMT_SECRET) == 0);
  /* Alt+M ticks "Remember in keyring" through its row. */
  send_key (GTK_WIDGET (window), GDK_KEY_m, GDK_ALT_MASK);
  SPIN_UNTIL (gtk_switch_get_active (aws->remember_switch));

  /* Verify, kept running by the emulator; Escape cancels it, says nothing. */
  {
    g_autoptr(JsonNode) reply =
      stompy_test_emulator_control (emulator, "faults",
                                    "{\"target\": \"sts:GetCallerIdentity\", \"kind\": \"delay\", "
                                    "\"delay_ms\": 4000}");
  }
  send_key (GTK_WIDGET (window), GDK_KEY_v, GDK_ALT_MASK);
  SPIN_UNTIL (aws->verifying);
  g_assert_cmpint (stompy_page_get_state (page_at (window, STOMPY_STEP_SIGN_IN)), ==,
                   STOMPY_PAGE_STATE_BUSY);
  send_key (GTK_WIDGET (window), GDK_KEY_Escape, 0);
  SPIN_UNTIL (!aws->verifying);
  g_assert_null (stompy_onboarding_get_identity (model ()));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (aws->error_label)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));

  /* Enter in the secret verifies again, this time to the end. */
  mnemonic_to (window, 's', aws->secret_row);
  send_key (GTK_WIDGET (window), GDK_KEY_Return, 0);
  SPIN_UNTIL (aws->verifying);
  SPIN_UNTIL (!aws->verifying);
  g_assert_nonnull (stompy_onboarding_get_identity (model ()));

  /* Escape with nothing running changes nothing. */
  SPIN_UNTIL (stompy_page_get_state (page_at (window, STOMPY_STEP_SIGN_IN))
              == STOMPY_PAGE_STATE_READY);
  send_key (GTK_WIDGET (window), GDK_KEY_Escape, 0);
  wait_keyboard_back (window);
  g_assert_cmpint (stompy_page_get_state (page_at (window, STOMPY_STEP_SIGN_IN)), ==,
                   STOMPY_PAGE_STATE_READY);
  g_assert_nonnull (stompy_onboarding_get_identity (model ()));

  /* Alt+C is Continue. */
  SPIN_UNTIL (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  send_key (GTK_WIDGET (window), GDK_KEY_c, GDK_ALT_MASK);
  wait_for_step (window, STOMPY_STEP_PRODUCTS);
}

/* Whether the focus is on @check or on the row it ticks. */
static gboolean
focus_at_check (StompyWindow   *window,
                GtkCheckButton *check)
{
  GtkWidget *focus = focus_of (window);

  return focus != NULL
         && (focus == GTK_WIDGET (check)
             || (GTK_IS_LIST_BOX_ROW (focus) && gtk_widget_is_ancestor (GTK_WIDGET (check), focus)));
}

static void
walk_products (StompyWindow *window)
{
  StompyProductsPage *page = STOMPY_PRODUCTS_PAGE (page_at (window, STOMPY_STEP_PRODUCTS));
  guint tabs = 0;

  /* Gone on from inside the sign-in page (Alt+C), the user lands on this
   * page's first control, the AnalySaver box, and Space ticks it; Tab goes
   * on to SpoTainer's. */
  landed_focus (window);
  g_assert_true (focus_at_check (window, page->analysaver_check));
  send_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  SPIN_UNTIL (gtk_check_button_get_active (page->analysaver_check));
  while (!focus_at_check (window, page->spotainer_check))
    {
      GtkWidget *before = focus_of (window);

      g_assert_cmpuint (tabs++, <, 30);
      send_key (GTK_WIDGET (window), GDK_KEY_Tab, 0);
      SPIN_UNTIL (focus_of (window) != before);
    }
  send_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  SPIN_UNTIL (gtk_check_button_get_active (page->spotainer_check));

  /* Alt+C: Continue. */
  send_key (GTK_WIDGET (window), GDK_KEY_c, GDK_ALT_MASK);
  wait_for_step (window, STOMPY_STEP_ANALYSAVER);
  g_assert_cmpint (stompy_onboarding_get_products (model ()), ==,
                   STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
}

static void
walk_stack (StompyWindow          *window,
            StompyTemplateSection *section)
{
  SPIN_UNTIL (section->template != NULL && !section->loading);
  /* Alt+A ticks the acknowledgement, Alt+S creates the stack. */
  send_key (GTK_WIDGET (window), GDK_KEY_a, GDK_ALT_MASK);
  SPIN_UNTIL (gtk_check_button_get_active (section->ack_check));
  SPIN_UNTIL (gtk_widget_is_sensitive (GTK_WIDGET (section->create_button)));
  send_key (GTK_WIDGET (window), GDK_KEY_s, GDK_ALT_MASK);
  SPIN_UNTIL (section->creating || section->following);
  SPIN_UNTIL (stompy_stack_record_is_complete (section->record) && !section->following
              && !section->creating);
  g_assert_cmpstr (stompy_stack_record_get_status (section->record), ==, "CREATE_COMPLETE");
}

static void
walk_analysaver (StompyWindow *window)
{
  StompyAnalysaverPage *page = STOMPY_ANALYSAVER_PAGE (page_at (window, STOMPY_STEP_ANALYSAVER));
  StompyCurSection *cur = page->cur_section;

  /* Landed on the page's first control, the link to the billing settings. */
  g_assert_true (landed_focus (window) == GTK_WIDGET (page->billing_section->open_row));

  /* Alt+I: billing access is on. */
  send_key (GTK_WIDGET (window), GDK_KEY_i, GDK_ALT_MASK);
  SPIN_UNTIL (gtk_switch_get_active (page->billing_section->confirm_switch));

  /* Alt+N: a new report. */
  SPIN_UNTIL (!cur->loading && gtk_widget_is_sensitive (cur->mode_box));
  send_key (GTK_WIDGET (window), GDK_KEY_n, GDK_ALT_MASK);
  SPIN_UNTIL (g_strcmp0 (_stompy_cur_section_get_mode (cur), "new") == 0);

  /* An empty name and a bad bucket, then Enter in the prefix: the focus goes
   * to the first invalid field, the name, and both are marked. */
  mnemonic_to (window, 'm', cur->report_name_row);
  retype (window, cur->report_name_row, "x");
  send_key (GTK_WIDGET (window), GDK_KEY_BackSpace, 0);
  SPIN_UNTIL (*row_text (cur->report_name_row) == '\0');
  mnemonic_to (window, 'k', cur->bucket_row);
  retype (window, cur->bucket_row, "Bad_Bucket");
  mnemonic_to (window, 'p', cur->prefix_row);
  send_key (GTK_WIDGET (window), GDK_KEY_Return, 0);
  SPIN_UNTIL (has_focus_in (window, cur->report_name_row));
  assert_focused_invalid (window, cur->report_name_row);
  g_assert_true (stompy_form_get_field_error (cur->bucket_row));
  gtk_test_accessible_assert_state (cur->bucket_row, GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->hint_label)));
  gtk_test_accessible_assert_role (cur->hint_label, GTK_ACCESSIBLE_ROLE_ALERT);
  g_assert_cmpint (stompy_test_creations (emulator, "s3:bucket"), ==, 0);

  /* Corrected; Enter again: now the unconfirmed policy gets the focus. */
  type_text (GTK_WIDGET (window), NEW_REPORT);
  SPIN_UNTIL (g_strcmp0 (row_text (cur->report_name_row), NEW_REPORT) == 0);
  mnemonic_to (window, 'k', cur->bucket_row);
  retype (window, cur->bucket_row, NEW_BUCKET);
  send_key (GTK_WIDGET (window), GDK_KEY_Return, 0);
  SPIN_UNTIL (has_focus_in (window, cur->policy_check));
  gtk_test_accessible_assert_state (cur->policy_check, GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  assert_valid (cur->report_name_row);
  assert_valid (cur->bucket_row);

  /* Space ticks it; Alt+R creates. */
  send_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  SPIN_UNTIL (gtk_check_button_get_active (cur->policy_check));
  assert_valid (cur->policy_check);
  SPIN_UNTIL (gtk_widget_is_sensitive (GTK_WIDGET (cur->create_button)));
  send_key (GTK_WIDGET (window), GDK_KEY_r, GDK_ALT_MASK);
  SPIN_UNTIL (cur->creating);
  SPIN_UNTIL (!cur->creating);
  g_assert_true (stompy_section_get_ready (STOMPY_SECTION (cur)));
  g_assert_cmpint (stompy_test_creations (emulator, "s3:bucket"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "cur:report"), ==, 1);

  walk_stack (window, page->template_section);

  /* Mnemonics activate without moving the focus, still on the policy's box,
   * which leaves Enter to the window: Enter continues. */
  /* Create took the focus away from the policy's box as it turned insensitive:
   * nothing has it, and Enter is the window's, which continues. */
  g_assert_null (focus_of (window));
  /* As a user reads the page before going on, the window builds the next
   * page ahead and its template arrives; only then has that page the role's
   * permissions its focus lands among. (Pressed at once, in a sanitized build
   * with another UI test beside it, Enter once showed the page before its
   * template had come, and the focus landed on the first control there was.) */
  SPIN_UNTIL (window->pages[STOMPY_STEP_SPOTAINER] != NULL
              && STOMPY_SPOTAINER_PAGE (window->pages[STOMPY_STEP_SPOTAINER])->template_section->template != NULL);
  enter_continues (window, STOMPY_STEP_SPOTAINER);
}

static void
walk_spotainer (StompyWindow *window)
{
  StompySpotainerPage *page = STOMPY_SPOTAINER_PAGE (page_at (window, STOMPY_STEP_SPOTAINER));
  GtkWidget *first;

  /* Gone on with Enter and no focus: the focus lands on the page's first
   * control, among the role's permissions (the page has nothing before). */
  first = landed_focus (window);
  g_assert_nonnull (first);
  g_assert_true (gtk_widget_is_ancestor (first, GTK_WIDGET (page->template_section->permissions_group)));

  walk_stack (window, page->template_section);
  enter_continues (window, STOMPY_STEP_CONNECT);

  /* The Connect page, built ahead, showed the SpoTainer role as missing,
   * and GtkStack gave that row the focus; the page then shows the summary
   * instead, and the focus lands on its first row (it was left on the
   * removed row). Back returns the focus to the control it left on this
   * page; on again, the first row again. */
  {
    StompyConnectPage *connect = STOMPY_CONNECT_PAGE (page_at (window, STOMPY_STEP_CONNECT));
    GtkWidget *account_row = GTK_WIDGET (_stompy_connect_page_get_summary_row (connect, _("AWS Account")));

    g_assert_true (landed_focus (window) == account_row);
    send_key (GTK_WIDGET (window), GDK_KEY_b, GDK_ALT_MASK);
    wait_for_step (window, STOMPY_STEP_SPOTAINER);
    g_assert_true (landed_focus (window) == first);
    enter_continues (window, STOMPY_STEP_CONNECT);
    g_assert_true (landed_focus (window) == account_row);
  }
}

static void
walk_connect (StompyWindow *window)
{
  StompyConnectPage *page = STOMPY_CONNECT_PAGE (page_at (window, STOMPY_STEP_CONNECT));

  SPIN_UNTIL (page->follow_idle == 0
              && stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);

  /* The focus on one of the window's own buttons stays there: Enter on Back
   * (as after a click). Continue, in turn, is insensitive while the page
   * submits, which leaves the focus nowhere: it lands on the first row. */
  gtk_widget_grab_focus (GTK_WIDGET (window->back_button));
  send_key (GTK_WIDGET (window), GDK_KEY_Return, 0);
  wait_for_step (window, STOMPY_STEP_SPOTAINER);
  g_assert_true (landed_focus (window) == GTK_WIDGET (window->back_button));
  gtk_widget_grab_focus (GTK_WIDGET (window->primary_button));
  send_key (GTK_WIDGET (window), GDK_KEY_Return, 0);
  wait_for_step (window, STOMPY_STEP_CONNECT);
  g_assert_true (landed_focus (window)
                 == GTK_WIDGET (_stompy_connect_page_get_summary_row (page, _("AWS Account"))));
  SPIN_UNTIL (page->follow_idle == 0
              && stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);

  /* Alt+O connects; the emulator holds the request, and Escape cancels it. */
  {
    g_autoptr(JsonNode) reply =
      stompy_test_emulator_control (emulator, "faults",
                                    "{\"target\": \"stompy:POST /aws/accounts\", \"kind\": \"delay\", "
                                    "\"delay_ms\": 4000}");
  }
  send_key (GTK_WIDGET (window), GDK_KEY_o, GDK_ALT_MASK);
  SPIN_UNTIL (window->submitting);
  send_key (GTK_WIDGET (window), GDK_KEY_Escape, 0);
  SPIN_UNTIL (!window->submitting
              && stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_CONNECT);
  /* The page updated as it connected and cancelled, the summary's rows with
   * it, and the focus is still on the row it was on. */
  g_assert_true (focus_of (window)
                 == GTK_WIDGET (_stompy_connect_page_get_summary_row (page, _("AWS Account"))));

  /* Alt+O again, to the end. */
  send_key (GTK_WIDGET (window), GDK_KEY_o, GDK_ALT_MASK);
  SPIN_UNTIL (window->submitting);
  wait_for_step (window, STOMPY_STEP_DONE);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);
}

static void
test_keyboard_flow (void)
{
  gint64 start = g_get_monotonic_time ();
  StompyWindow *window;
  StompyDonePage *done;

  reset_world ();
  window = open_window ();
  g_object_ref (window);

  walk_sign_in (window);
  g_test_message ("signed in at %.1f s", (g_get_monotonic_time () - start) / 1e6);
  walk_products (window);
  walk_analysaver (window);
  g_test_message ("AnalySaver done at %.1f s", (g_get_monotonic_time () - start) / 1e6);
  walk_spotainer (window);
  g_test_message ("SpoTainer done at %.1f s", (g_get_monotonic_time () - start) / 1e6);
  walk_connect (window);
  g_test_message ("connected at %.1f s", (g_get_monotonic_time () - start) / 1e6);

  /* The last page has no Continue: the focus lands on its one control,
   * Close, and Enter closes the window (Alt+C would too). */
  done = STOMPY_DONE_PAGE (page_at (window, STOMPY_STEP_DONE));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (done->close_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->primary_button)));
  SPIN_UNTIL (focus_of (window) == GTK_WIDGET (done->close_button));
  send_key (GTK_WIDGET (window), GDK_KEY_Return, 0);
  SPIN_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (window)));
  SPIN_UNTIL (G_OBJECT (window)->ref_count == 1);
  g_assert_finalize_object (window);
}

/* -------------------------------------------------------- accessible names */

/* What GTK names a control by: its label property or a labelling widget, set
 * by the control itself (a button's label, an entry row's title) or by us. */
static gboolean
has_accessible_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  return gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL)
         || gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static gboolean
needs_name (GtkWidget *widget)
{
  switch (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_TAB:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
      return gtk_widget_get_focusable (widget);
    default:
      return FALSE;
    }
}

static void
collect_unnamed (GtkWidget *widget,
                 GString   *unnamed)
{
  if (needs_name (widget) && !has_accessible_name (widget))
    {
      GtkWidget *named = widget;

      /* Say where it is: the nearest ancestor with a buildable id or type. */
      g_string_append_printf (unnamed, "\n  %s in", G_OBJECT_TYPE_NAME (widget));
      while ((named = gtk_widget_get_parent (named)) != NULL)
        if (gtk_buildable_get_buildable_id (GTK_BUILDABLE (named)) != NULL)
          break;
      g_string_append_printf (unnamed, " %s",
                              named != NULL ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (named))
                                            : "(top)");
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, unnamed);
}

static void
assert_all_named (GtkWidget  *widget,
                  const char *what)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);

  collect_unnamed (widget, unnamed);
  if (unnamed->len > 0)
    g_error ("%s: focusable controls without an accessible name:%s", what, unnamed->str);
}

static void
test_every_control_named (void)
{
  GType types[] = {
    STOMPY_TYPE_SIGN_IN_PAGE, STOMPY_TYPE_PRODUCTS_PAGE, STOMPY_TYPE_ANALYSAVER_PAGE,
    STOMPY_TYPE_SPOTAINER_PAGE, STOMPY_TYPE_CONNECT_PAGE, STOMPY_TYPE_DONE_PAGE,
  };
  StompyWindow *window;
  GtkWidget *preferences;

  reset_world ();
  window = open_window ();
  assert_all_named (GTK_WIDGET (window), "window");

  /* Every page, hidden parts included, as built (pages may be made lazily). */
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      StompyPage *page = g_object_new (types[i], "application", get_app (), NULL);

      g_object_ref_sink (page);
      assert_all_named (GTK_WIDGET (page), g_type_name (types[i]));
      g_assert_finalize_object (page);
    }

  /* The preferences too. */
  g_assert_nonnull (stompy_application_get_settings (get_app ()));
  preferences = stompy_preferences_window_new (GTK_WINDOW (window),
                                               stompy_application_get_settings (get_app ()));
  assert_all_named (preferences, "StompyPreferencesWindow");
  gtk_window_destroy (GTK_WINDOW (preferences));

  g_object_ref (window);
  gtk_window_close (GTK_WINDOW (window));
  SPIN_UNTIL (G_OBJECT (window)->ref_count == 1);
  g_assert_finalize_object (window);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* XTest is X11's. */
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  stompy_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/keyboard/every-control-named", test_every_control_named);
  g_test_add_func ("/ui/keyboard/whole-flow", test_keyboard_flow);

  status = g_test_run ();
  stompy_test_ui_shutdown (&app, &emulator);
  return status;
}
