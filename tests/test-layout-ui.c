/* test-layout-ui.c — every page readable at 360 px, in English and Chinese, light and dark
 *
 * Runs under Xvfb with a private keyring (tests/with-keyring.sh) against the
 * project's emulator. The real window is walked through the flow as a user
 * would (signed in with a typed key, both products, a new Cost and Usage
 * Report, both stacks, Connect) and at each page, in a realistic state, it is
 * laid out at a screenshot size and at 360 px wide, where:
 *
 *  - the window asks for no more than 360 px (gtk_widget_measure);
 *  - no shown label is cut: none ellipsized unless it carries the
 *    "may-ellipsize" style class (itself or an ancestor; a .ui file using it
 *    must say why — none needs it today), none whose text is wider or taller
 *    than the room it was given, none given room its parents do not show
 *    (a row wider than the window, a name spilling out of its box), none
 *    with a glyph its fonts lack (Chinese without a CJK font draws boxes);
 *  - from step 3 on, the status panel, opened over the page, likewise.
 *
 * In dark mode the window draws libadwaita's dark stylesheet, and
 * src/style.css names only libadwaita's semantic colours, which have a dark
 * variant (a hard-coded colour would stay the same in both).
 *
 * With STOMPY_SCREENSHOT_DIR set, each page is saved there as
 * layout-<page>[-360|-dark][-zh_CN].png (data/screenshots/take-screenshots.sh
 * picks the AppStream set from them).
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "stompy-analysaver-page-private.h"
#include "stompy-application.h"
#include "stompy-aws-account-section-private.h"
#include "stompy-billing-section-private.h"
#include "stompy-connect-page-private.h"
#include "stompy-cur-section-private.h"
#include "stompy-done-page-private.h"
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
#define NARROW_WIDTH     360
#define NARROW_HEIGHT    720
/* The AppStream screenshots' size: the status panel beside the page. */
#define WIDE_WIDTH       1100
#define WIDE_HEIGHT      760
#define SPIN_TIMEOUT_US  (60 * G_USEC_PER_SEC)

/* The style class of a label that is meant to ellipsize (see the header). */
#define MAY_ELLIPSIZE    "may-ellipsize"

static StompyTestEmulator *emulator;
static StompyApplication *app;
/* What the walk found cut, page by page: reported together at its end. */
static GString *cut_labels;

#define SPIN_UNTIL(cond) STOMPY_TEST_SPIN_UNTIL (cond, SPIN_TIMEOUT_US)

/* ------------------------------------------------------------------ the app */

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

/* No saved progress, no token, no remembered key, the emulator as its fixtures say. */
static void
reset_world (void)
{
  /* get_app() starts the emulator on first use. */
  StompyApplication *application = get_app ();

  stompy_test_reset_world (application, emulator, MGMT_KEY_ID);
}

static void
count_paint_cb (GdkFrameClock *clock,
                guint         *n_painted)
{
  (*n_painted)++;
}

/* Waits until the window has been laid out and painted twice since now. */
static void
settle_frames (StompyWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint n_painted = 0;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint_cb),
                                     &n_painted);

  gtk_widget_queue_resize (GTK_WIDGET (window));
  /* A frame even when nothing needs drawing again (GTK then skips the paint phase). */
  for (guint frame = 1; frame <= 2; frame++)
    {
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
      SPIN_UNTIL (n_painted >= frame);
    }
  g_signal_handler_disconnect (clock, handler);
}

/* Gives the window's surface @width × @height (under Xvfb its widget gets a few
 * pixels less: the client-side decorations' border) and waits for it to be drawn so. */
static void
resize (StompyWindow *window,
        int           width,
        int           height)
{
  GtkWidget *widget = GTK_WIDGET (window);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  SPIN_UNTIL (gtk_widget_get_width (widget) <= width && gtk_widget_get_width (widget) >= width - 20
              && gtk_widget_get_height (widget) <= height
              && gtk_widget_get_height (widget) >= height - 60);
  settle_frames (window);
  /* The window shows or hides the header bar's status toggle from an idle after folding. */
  SPIN_UNTIL (window->status_panel_idle == 0);
  settle_frames (window);
}

static StompyWindow *
open_window (void)
{
  StompyWindow *window = stompy_window_new (get_app ());

  gtk_window_set_default_size (GTK_WINDOW (window), WIDE_WIDTH, WIDE_HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  stompy_window_start (window);
  return window;
}

static void
close_window (StompyWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  /* Cancelled operations still call back once, holding a reference till then. */
  SPIN_UNTIL (G_OBJECT (window)->ref_count == 1);
  g_assert_finalize_object (window);
  stompy_status_poller_stop (stompy_application_get_status_poller (get_app ()));
}

static gpointer
page (StompyWindow *window,
      StompyStep    step)
{
  return _stompy_window_get_page (window, step);
}

static void
go_on (StompyWindow *window,
       StompyStep    expected)
{
  SPIN_UNTIL (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == expected && !window->submitting);
  g_assert_true (gtk_stack_get_visible_child (window->stack) == GTK_WIDGET (page (window, expected)));
  if (expected == STOMPY_STEP_CONNECT)
    SPIN_UNTIL (STOMPY_CONNECT_PAGE (page (window, expected))->follow_idle == 0);
  /* The stack's slide is over. */
  SPIN_UNTIL (!gtk_stack_get_transition_running (window->stack));
}

/* ------------------------------------------------------------------ checks */

static gboolean
may_ellipsize (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (gtk_widget_has_css_class (widget, MAY_ELLIPSIZE))
      return TRUE;
  return FALSE;
}

static char *
describe (GtkWidget *label)
{
  g_autoptr(GString) path = g_string_new (NULL);

  for (GtkWidget *w = gtk_widget_get_parent (label); w != NULL && !GTK_IS_WINDOW (w);
       w = gtk_widget_get_parent (w))
    if (g_str_has_prefix (G_OBJECT_TYPE_NAME (w), "Stompy")
        || g_str_has_prefix (G_OBJECT_TYPE_NAME (w), "Adw"))
      {
        g_string_prepend (path, G_OBJECT_TYPE_NAME (w));
        g_string_prepend (path, "/");
      }
  return g_strdup_printf ("“%s” (in %s, %d×%d)", gtk_label_get_text (GTK_LABEL (label)),
                          path->str, gtk_widget_get_width (label), gtk_widget_get_height (label));
}

/* Appends to @problems every shown label under @widget that is cut. */
static void
find_cut_labels (GtkWidget *widget,
                 GString   *problems,
                 guint     *n_labels)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    {
      GtkLabel *label = GTK_LABEL (widget);
      PangoLayout *layout = gtk_label_get_layout (label);
      PangoRectangle logical;
      graphene_rect_t bounds;
      int width = gtk_widget_get_width (widget);
      int height = gtk_widget_get_height (widget);

      (*n_labels)++;
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      if (pango_layout_is_ellipsized (layout) && !may_ellipsize (widget))
        g_string_append_printf (problems, "\n  ellipsized: %s", describe (widget));
      /* Not ellipsized, not wrapped (or a word longer than a line): wider than its room. */
      else if (!pango_layout_is_ellipsized (layout) && logical.width > width + 1)
        g_string_append_printf (problems, "\n  %d px wide text in: %s", logical.width,
                                describe (widget));
      /* Given room that an ancestor does not show (up to the content a scrolled window
       * scrolls): a parent wider than the window, a label spilling out of its box. */
      for (GtkWidget *ancestor = gtk_widget_get_parent (widget); ancestor != NULL;
           ancestor = gtk_widget_get_parent (ancestor))
        {
          if (GTK_IS_VIEWPORT (ancestor) || GTK_IS_SCROLLED_WINDOW (ancestor))
            break;
          if (gtk_widget_compute_bounds (widget, ancestor, &bounds)
              && (bounds.origin.x < -1 || bounds.origin.y < -1
                  || bounds.origin.x + bounds.size.width > gtk_widget_get_width (ancestor) + 1
                  || bounds.origin.y + bounds.size.height > gtk_widget_get_height (ancestor) + 1))
            {
              g_string_append_printf (problems, "\n  outside its %s (%.0f,%.0f %.0f×%.0f in %d×%d): %s",
                                      G_OBJECT_TYPE_NAME (ancestor), bounds.origin.x,
                                      bounds.origin.y, bounds.size.width, bounds.size.height,
                                      gtk_widget_get_width (ancestor),
                                      gtk_widget_get_height (ancestor), describe (widget));
              break;
            }
        }
      if (logical.height > height + 1)
        g_string_append_printf (problems, "\n  %d px high text in: %s", logical.height,
                                describe (widget));
      if (pango_layout_get_unknown_glyphs_count (layout) > 0)
        g_string_append_printf (problems, "\n  %d glyphs missing from the fonts: %s",
                                pango_layout_get_unknown_glyphs_count (layout), describe (widget));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_cut_labels (child, problems, n_labels);
}

static void
assert_no_cut_label (StompyWindow *window,
                     const char   *where)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  guint n_labels = 0;

  find_cut_labels (GTK_WIDGET (window), problems, &n_labels);
  g_test_message ("%s: %u labels shown", where, n_labels);
  g_assert_cmpuint (n_labels, >, 5);
  if (problems->len > 0)
    g_string_append_printf (cut_labels, "\n%s (%d px wide):%s", where,
                            gtk_widget_get_width (GTK_WIDGET (window)), problems->str);
}

static gboolean
shows_cjk (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && stompy_test_has_cjk (gtk_label_get_text (GTK_LABEL (widget))))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_cjk (child))
      return TRUE;
  return FALSE;
}

/* The page shows Chinese exactly when the test runs in Chinese. */
static void
assert_language (StompyWindow *window)
{
  g_assert_cmpint (shows_cjk (gtk_stack_get_visible_child (window->stack)), ==,
                   g_strcmp0 (g_getenv ("LANGUAGE"), "zh_CN") == 0);
}

static void
save (StompyWindow *window,
      const char   *name)
{
  const char *dir = stompy_test_screenshot_dir ();
  gboolean chinese = g_strcmp0 (g_getenv ("LANGUAGE"), "zh_CN") == 0;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_strdup_printf ("%s/layout-%s%s.png", dir, name, chinese ? "-zh_CN" : "");
  g_assert_true (stompy_test_save_png (GTK_WIDGET (window), path));
}

/* Scrolls the page so that @widget is near the top of what it shows. */
static void
scroll_to (gpointer widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (widget), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_point_t point;

  g_assert_nonnull (scrolled);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (widget),
                                           gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, point.y - 24);
}

/* The page the window shows, at the screenshot size and at 360 px: nothing
 * wider than 360 px, no label cut; from step 3 on the folded status panel
 * too, opened over the page. @scroll_target (or NULL): what the page shows at
 * the screenshot size. */
static void
check_page (StompyWindow *window,
            const char   *name,
            gpointer      scroll_target)
{
  g_autofree char *narrow_name = g_strdup_printf ("%s-360", name);
  g_autofree char *panel_name = g_strdup_printf ("%s-360-panel", name);
  int minimum = 0;

  assert_language (window);

  resize (window, WIDE_WIDTH, WIDE_HEIGHT);
  if (scroll_target != NULL)
    {
      scroll_to (scroll_target);
      settle_frames (window);
    }
  assert_no_cut_label (window, name);
  save (window, name);

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                      NULL, NULL);
  g_test_message ("%s: the window's minimum width is %d px", name, minimum);
  g_assert_cmpint (minimum, <=, NARROW_WIDTH);

  resize (window, NARROW_WIDTH, NARROW_HEIGHT);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, NARROW_WIDTH);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                      NULL, NULL);
  g_assert_cmpint (minimum, <=, NARROW_WIDTH);
  assert_no_cut_label (window, narrow_name);
  save (window, narrow_name);

  g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (window->status_button)), ==,
                   stompy_window_get_step (window) >= STOMPY_STEP_ANALYSAVER);
  if (stompy_window_get_step (window) >= STOMPY_STEP_ANALYSAVER)
    {
      /* Folded: the panel opens over the page from the header bar's toggle. */
      g_assert_true (adw_flap_get_folded (window->flap));
      gtk_toggle_button_set_active (window->status_button, TRUE);
      SPIN_UNTIL (adw_flap_get_reveal_progress (window->flap) >= 1.0);
      settle_frames (window);
      assert_no_cut_label (window, panel_name);
      save (window, panel_name);
      gtk_toggle_button_set_active (window->status_button, FALSE);
      SPIN_UNTIL (adw_flap_get_reveal_progress (window->flap) <= 0.0);
    }

  resize (window, WIDE_WIDTH, WIDE_HEIGHT);
  if (scroll_target != NULL)
    {
      scroll_to (scroll_target);
      settle_frames (window);
    }
}

static double
luminance (const GdkRGBA *c)
{
  return 0.2126 * c->red + 0.7152 * c->green + 0.0722 * c->blue;
}

/* The luminance of the window's bottom-left pixel: the bottom bar, window_bg_color. */
static double
window_background_luminance (StompyWindow *window)
{
  GtkWidget *widget = GTK_WIDGET (window);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  gsize stride = (gsize) width * 4;
  const guchar *p;
  GdkRGBA rgba;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc (stride * height);
  /* Cairo's format: B, G, R, A in memory on little-endian machines. */
  gdk_texture_download (texture, pixels, stride);
  p = pixels + (gsize) (height - 4) * stride + 4 * 4;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  rgba = (GdkRGBA) { p[2] / 255.0, p[1] / 255.0, p[0] / 255.0, p[3] / 255.0 };
#else
  rgba = (GdkRGBA) { p[1] / 255.0, p[2] / 255.0, p[3] / 255.0, p[0] / 255.0 };
#endif
  return luminance (&rgba);
}

static double
label_luminance (StompyWindow *window)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (window->step_indicator)),
                               &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return luminance (&color);
}

/* Dark, the window draws light text on a dark background and still cuts no label. */
static void
check_dark (StompyWindow *window,
            const char   *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *dark_name = g_strdup_printf ("%s-dark", name);

  g_assert_false (adw_style_manager_get_dark (style));
  g_assert_cmpfloat (window_background_luminance (window), >, 0.8);
  g_assert_cmpfloat (label_luminance (window), <, 0.3);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));
  settle_frames (window);
  g_assert_cmpfloat (window_background_luminance (window), <, 0.25);
  g_assert_cmpfloat (label_luminance (window), >, 0.8);
  assert_no_cut_label (window, dark_name);
  save (window, dark_name);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (style));
  settle_frames (window);
  g_assert_cmpfloat (window_background_luminance (window), >, 0.8);
}

/* ------------------------------------------------------------------ the walk */

static void
sign_in (StompyWindow *window)
{
  StompySignInPage *sign_in_page = page (window, STOMPY_STEP_SIGN_IN);
  StompyStompyAccountSection *stompy = sign_in_page->stompy_section;
  StompyAwsAccountSection *aws = sign_in_page->aws_section;

  SPIN_UNTIL (!stompy->checking_session);
  stompy_test_set_text (stompy->email_row, OPS_EMAIL);
  stompy_test_set_text (stompy->password_row, OPS_PASSWORD);
  stompy_test_click (stompy->sign_in_button);
  SPIN_UNTIL (!stompy->signing_in);
  g_assert_true (stompy->signed_in);
  SPIN_UNTIL (!stompy->saving_token);

  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_TYPED);
  stompy_test_set_text (aws->access_key_row, MGMT_KEY_ID);
  stompy_test_set_text (aws->secret_row, MGMT_SECRET);
  gtk_switch_set_active (aws->remember_switch, TRUE);
  stompy_test_click (aws->verify_button);
  SPIN_UNTIL (!aws->verifying && !aws->saving);
  g_assert_nonnull (stompy_onboarding_get_identity (model ()));
  /* The account, its organization role and the advice for it. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->identity_group)));
}

static void
create_stack (StompyTemplateSection *section)
{
  SPIN_UNTIL (section->template != NULL && !section->loading);
  gtk_check_button_set_active (section->ack_check, TRUE);
  stompy_test_click (section->create_button);
}

static void
wait_stack (StompyTemplateSection *section)
{
  SPIN_UNTIL (stompy_stack_record_is_complete (section->record) && !section->following
              && !section->creating);
  g_assert_cmpstr (stompy_stack_record_get_status (section->record), ==, "CREATE_COMPLETE");
}

static void
walk_the_flow (void)
{
  StompyWindow *window;
  StompyProductsPage *products;
  StompyAnalysaverPage *analysaver;
  StompyCurSection *cur;
  StompySpotainerPage *spotainer;
  StompyStatusPanel *panel;

  cut_labels = g_string_new (NULL);
  reset_world ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  window = open_window ();

  /* 1. Signed in to Stompy, the AWS key verified: the account and the advice shown. */
  sign_in (window);
  check_page (window, "sign-in", NULL);

  /* 2. Both products, with the recommendations for a management account. */
  go_on (window, STOMPY_STEP_PRODUCTS);
  products = page (window, STOMPY_STEP_PRODUCTS);
  gtk_check_button_set_active (products->analysaver_check, TRUE);
  gtk_check_button_set_active (products->spotainer_check, TRUE);
  check_page (window, "products", NULL);

  /* 3. Billing access confirmed, the new-report form filled in with its policy. */
  go_on (window, STOMPY_STEP_ANALYSAVER);
  analysaver = page (window, STOMPY_STEP_ANALYSAVER);
  cur = analysaver->cur_section;
  gtk_switch_set_active (analysaver->billing_section->confirm_switch, TRUE);
  SPIN_UNTIL (cur->reports_loaded && !cur->loading);
  gtk_toggle_button_set_active (cur->new_toggle, TRUE);
  g_assert_cmpstr (_stompy_cur_section_get_mode (cur), ==, "new");
  stompy_test_set_text (cur->report_name_row, "stompy-cur");
  gtk_check_button_set_active (cur->policy_check, TRUE);
  panel = _stompy_window_get_status_panel (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  check_page (window, "analysaver-new-report", cur->mode_box);

  /* The report and its bucket made, the role stack created: the panel all ticks. */
  stompy_test_click (cur->create_button);
  SPIN_UNTIL (!cur->creating);
  g_assert_true (stompy_section_get_ready (STOMPY_SECTION (cur)));
  create_stack (analysaver->template_section);
  wait_stack (analysaver->template_section);
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (analysaver)) == STOMPY_PAGE_STATE_READY);
  SPIN_UNTIL (panel->bucket_exists.mark == STOMPY_STATUS_MARK_YES
              && _stompy_status_panel_get_stack (panel, STOMPY_PRODUCT_ANALYSAVER)->status.mark
                 == STOMPY_STATUS_MARK_YES);
  check_page (window, "analysaver-status", analysaver->template_section);
  check_dark (window, "analysaver-status");

  /* 4. The SpoTainer stack while CloudFormation makes it, then made. */
  go_on (window, STOMPY_STEP_SPOTAINER);
  spotainer = page (window, STOMPY_STEP_SPOTAINER);
  create_stack (spotainer->template_section);
  SPIN_UNTIL (gtk_widget_get_visible (spotainer->template_section->progress_box)
              || stompy_stack_record_is_complete (spotainer->template_section->record));
  check_page (window, "spotainer", spotainer->template_section->ack_check);
  wait_stack (spotainer->template_section);

  /* 5. The summary before Connect. */
  go_on (window, STOMPY_STEP_CONNECT);
  SPIN_UNTIL (stompy_page_get_state (page (window, STOMPY_STEP_CONNECT)) == STOMPY_PAGE_STATE_READY);
  check_page (window, "connect", NULL);

  /* Done: connected, waiting for the first report. */
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_DONE && !window->submitting);
  SPIN_UNTIL (!gtk_stack_get_transition_running (window->stack));
  check_page (window, "done", NULL);

  close_window (window);
  if (cut_labels->len > 0)
    g_error ("Labels cut:%s", cut_labels->str);
  g_string_free (g_steal_pointer (&cut_labels), TRUE);
}

/* ------------------------------------------------------------------ style.css */

/* libadwaita 1.2's semantic colours: each has a light and a dark value. The
 * palette (blue_3, …) is left out on purpose: it is the same in both. */
static const char * const adwaita_colors[] = {
  "accent_color", "accent_bg_color", "accent_fg_color",
  "destructive_color", "destructive_bg_color", "destructive_fg_color",
  "success_color", "success_bg_color", "success_fg_color",
  "warning_color", "warning_bg_color", "warning_fg_color",
  "error_color", "error_bg_color", "error_fg_color",
  "window_bg_color", "window_fg_color", "view_bg_color", "view_fg_color",
  "headerbar_bg_color", "headerbar_fg_color", "headerbar_border_color",
  "headerbar_backdrop_color", "headerbar_shade_color",
  "card_bg_color", "card_fg_color", "card_shade_color",
  "dialog_bg_color", "dialog_fg_color", "popover_bg_color", "popover_fg_color",
  "shade_color", "scrollbar_outline_color",
  NULL
};

/* Words a colour value may hold besides @named colours and numbers. */
static const char * const color_words[] = {
  "currentColor", "transparent", "inherit", "initial", "unset", "none",
  "alpha", "mix", "shade", "lighter", "darker",
  "solid", "dashed", "dotted", "double", "inset", "px", "em", "rem", "pt",
  NULL
};

/* Every way @css (a stylesheet's text) names a colour other than one of
 * libadwaita's semantic ones, as sentences; empty when there is none. */
static char *
css_color_problems (const char *css)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GRegex) declaration = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  /* Comments out. */
  for (const char *p = css; *p != '\0'; p++)
    {
      if (p[0] == '/' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "*/");

          if (end == NULL)
            break;
          p = end + 1;
          continue;
        }
      g_string_append_c (text, *p);
    }

  /* Each "property: value" inside a rule's braces. */
  declaration = g_regex_new ("([-a-zA-Z]+)\\s*:\\s*([^;{}]*)", 0, 0, NULL);
  for (const char *block = strchr (text->str, '{'); block != NULL;
       block = strchr (block + 1, '{'))
    {
      const char *end = strchr (block, '}');
      g_autofree char *body = g_strndup (block + 1, end != NULL ? (gsize) (end - block - 1)
                                                                  : strlen (block + 1));

      g_regex_match (declaration, body, 0, &match);
      for (; g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *property = g_match_info_fetch (match, 1);
          g_autofree char *value = g_match_info_fetch (match, 2);
          gboolean is_color = strstr (property, "color") != NULL
                              || g_str_has_prefix (property, "background")
                              || g_str_has_prefix (property, "border")
                              || g_str_has_prefix (property, "outline")
                              || g_str_has_suffix (property, "shadow");

          for (const char *v = value; *v != '\0';)
            {
              if (*v == '#')
                {
                  g_string_append_printf (problems, "\n  %s: %s — a hexadecimal colour",
                                          property, value);
                  break;
                }
              if (*v == '@' || g_ascii_isalpha (*v) || *v == '-' || *v == '_')
                {
                  const char *start = v + (*v == '@' ? 1 : 0);
                  g_autofree char *word = NULL;

                  for (v = start; g_ascii_isalnum (*v) || *v == '_' || *v == '-'; v++)
                    ;
                  word = g_strndup (start, v - start);
                  if (start != value && start[-1] == '@')
                    {
                      if (!g_strv_contains (adwaita_colors, word))
                        g_string_append_printf (problems,
                                                "\n  %s: %s — @%s is not a libadwaita "
                                                "semantic colour", property, value, word);
                    }
                  else if (g_regex_match_simple ("^(rgba?|hsla?|hwb|lab|lch|color)$", word,
                                                 G_REGEX_CASELESS, 0) && *v == '(')
                    g_string_append_printf (problems, "\n  %s: %s — %s() hard-codes a colour",
                                            property, value, word);
                  else if (is_color && !g_strv_contains (color_words, word)
                           && !g_regex_match_simple ("^-?[0-9]", word, 0, 0))
                    g_string_append_printf (problems, "\n  %s: %s — “%s” is not a libadwaita "
                                            "colour", property, value, word);
                  continue;
                }
              v++;
            }
        }
      g_clear_pointer (&match, g_match_info_free);
    }

  return g_string_free (g_steal_pointer (&problems), FALSE);
}

static void
test_css_checker_finds_hard_coded_colours (void)
{
  const struct { const char *css; gboolean good; } cases[] = {
    { "a { color: @accent_color; background-color: alpha(currentColor, 0.1); }", TRUE },
    { "/* #fff */ a { color: mix(@error_color, @window_fg_color, 0.5); padding: 12px; }", TRUE },
    { "a { border: 1px solid @borders; }", FALSE },
    { "a { color: #ff0000; }", FALSE },
    { "a { background-color: rgba(0, 0, 0, 0.5); }", FALSE },
    { "a { color: white; }", FALSE },
    { "a { color: @blue_3; }", FALSE },
    { "a { box-shadow: 0 1px 2px black; }", FALSE },
    { "a { font-family: monospace; font-weight: bold; }", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *problems = css_color_problems (cases[i].css);

      g_test_message ("%s →%s", cases[i].css, problems);
      g_assert_cmpint (*problems == '\0', ==, cases[i].good);
    }
}

/* src/style.css, as the application loads it, and every colour it names
 * known to the window's style in light and in dark. */
static void
test_style_css_uses_named_colours (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problems = NULL;
  g_autoptr(GRegex) reference = g_regex_new ("@([a-z_0-9]+)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *css = NULL;
  GtkWidget *window;
  guint n_references = 0;

  bytes = g_resources_lookup_data ("/io/stompy/Connect/style.css", 0, &error);
  g_assert_no_error (error);
  css = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  problems = css_color_problems (css);
  if (*problems != '\0')
    g_error ("src/style.css names colours that do not follow the dark style:%s", problems);

  window = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (window));
  for (int dark = 0; dark <= 1; dark++)
    {
      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      g_assert_cmpint (adw_style_manager_get_dark (style), ==, dark);
      g_regex_match (reference, css, 0, &match);
      for (; g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *name = g_match_info_fetch (match, 1);
          GdkRGBA color;

          G_GNUC_BEGIN_IGNORE_DEPRECATIONS
          g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (window),
                                                         name, &color));
          G_GNUC_END_IGNORE_DEPRECATIONS
          n_references++;
        }
      g_clear_pointer (&match, g_match_info_free);
    }
  g_assert_cmpuint (n_references, >, 0);
  gtk_window_destroy (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

/* ------------------------------------------------------------------ shortcuts */

static void
add_accelerator (GPtrArray  *accelerators,
                 const char *accelerator)
{
  guint key = 0;
  GdkModifierType modifiers = 0;

  g_assert_true (gtk_accelerator_parse (accelerator, &key, &modifiers));
  g_ptr_array_add (accelerators, gtk_accelerator_name (key, modifiers));
}

static gboolean
has_accelerator (GPtrArray  *accelerators,
                 const char *name)
{
  return g_ptr_array_find_with_equal_func (accelerators, name, g_str_equal, NULL);
}

/* The keyboard shortcuts window lists each accelerator the application and its
 * window set (app.* accels, the window's win.* key bindings), and only real ones:
 * besides those, Return (the primary button is the window's default widget) and
 * F10 (the main menu button is the primary menu). */
static void
test_shortcuts_window_lists_every_accelerator (void)
{
  StompyWindow *window = stompy_window_new (get_app ());
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/stompy/Connect/help-overlay.ui");
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) real = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GListModel) controllers = NULL;
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  g_auto(GStrv) actions = NULL;

  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *accelerators = NULL;
        g_auto(GStrv) each = NULL;

        g_object_get (l->data, "accelerator", &accelerators, NULL);
        each = g_strsplit (accelerators, " ", -1);
        for (guint i = 0; each[i] != NULL; i++)
          add_accelerator (listed, each[i]);
      }
  g_assert_cmpuint (listed->len, >, 0);

  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (get_app ()));
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (get_app ()),
                                                                    actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        add_accelerator (real, accels[j]);
    }

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_NAMED_ACTION (action) && GTK_IS_KEYVAL_TRIGGER (trigger)
              && g_str_has_prefix (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                                   "win."))
            g_ptr_array_add (real,
                             gtk_accelerator_name (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                                                   gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger))));
        }
    }
  /* Escape, Alt+Left, Ctrl+Shift+C, Ctrl+comma, Ctrl+?, Ctrl+Q at least. */
  g_assert_cmpuint (real->len, >=, 6);

  for (guint i = 0; i < real->len; i++)
    {
      g_test_message ("real: %s", (const char *) real->pdata[i]);
      g_assert_true (has_accelerator (listed, real->pdata[i]));
    }

  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window))
                 == GTK_WIDGET (window->primary_button));
  g_assert_true (gtk_menu_button_get_primary (window->menu_button));
  for (guint i = 0; i < listed->len; i++)
    {
      const char *name = listed->pdata[i];

      g_test_message ("listed: %s", name);
      g_assert_true (has_accelerator (real, name) || g_str_equal (name, "Return")
                     || g_str_equal (name, "F10"));
    }

  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  SPIN_UNTIL (G_OBJECT (window)->ref_count == 1);
  g_assert_finalize_object (window);
}

/* About shows the version, the licence (GPL-3.0-or-later, as the metainfo's
 * project_license) and the website and issue tracker. */
static void
test_about_window (void)
{
  StompyWindow *window = stompy_window_new (get_app ());
  AdwAboutWindow *about = NULL;
  g_autoptr(GList) toplevels = NULL;

  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (get_app ()), "about", NULL);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_ABOUT_WINDOW (l->data))
      about = l->data;
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  /* GTK_LICENSE_GPL_3_0 is "version 3 or later" (GTK_LICENSE_GPL_3_0_ONLY is not). */
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (g_str_has_prefix (adw_about_window_get_website (about), "https://"));
  g_assert_true (g_str_has_prefix (adw_about_window_get_issue_url (about), "https://"));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));

  gtk_window_destroy (GTK_WINDOW (about));
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  SPIN_UNTIL (G_OBJECT (window)->ref_count == 1);
  g_assert_finalize_object (window);
}

/* ------------------------------------------------------------------ tests */

static void
test_flow_english (void)
{
  walk_the_flow ();
}

static void
test_flow_zh_cn_subprocess (void)
{
  if (!g_test_subprocess ())
    {
      g_test_skip ("Runs as a subprocess of /layout-ui/flow/zh-CN");
      return;
    }
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "zh_CN");
  walk_the_flow ();
}

static void
test_flow_zh_cn (void)
{
  stompy_test_run_zh_cn_subprocess ("/layout-ui/flow/zh-CN/subprocess");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  stompy_test_ui_init (&argc, &argv);
  /* The application's stylesheet and the dark variant, as AdwApplication gives them. */
  adw_init ();
  /* Each size and colour scheme shown as it ends, not halfway through an animation. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE,
  /* GNOME's window buttons (org.gnome.desktop.wm.preferences button-layout), as on a
   * phone: without a window manager GTK would add minimize and maximize. */
                "gtk-decoration-layout", ":close", NULL);

  g_test_add_func ("/layout-ui/style/checker-finds-hard-coded-colours",
                   test_css_checker_finds_hard_coded_colours);
  g_test_add_func ("/layout-ui/style/style-css-uses-libadwaita-named-colours",
                   test_style_css_uses_named_colours);
  g_test_add_func ("/layout-ui/about/version-licence-and-links", test_about_window);
  g_test_add_func ("/layout-ui/shortcuts/window-lists-every-accelerator",
                   test_shortcuts_window_lists_every_accelerator);
  g_test_add_func ("/layout-ui/flow/every-page-at-360-px-light-and-dark", test_flow_english);
  g_test_add_func ("/layout-ui/flow/zh-CN", test_flow_zh_cn);
  g_test_add_func ("/layout-ui/flow/zh-CN/subprocess", test_flow_zh_cn_subprocess);

  status = g_test_run ();
  stompy_test_ui_shutdown (&app, &emulator);
  return status;
}
