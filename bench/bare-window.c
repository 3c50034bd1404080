/* bare-window.c: the baseline of bench/startup.sh, an empty libadwaita window.
 *
 * It starts the way Stompy Connect does (an AdwApplication with G_APPLICATION_DEFAULT_FLAGS,
 * an AdwApplicationWindow of the same default size with a header bar), so that the ratio of
 * the two measures what the app adds on top of the toolkit. With STOMPY_BENCH_FIRST_FRAME=1
 * it prints "mapped-us <g_get_real_time()> cpu-us <user + system time of all its threads>"
 * once its toplevel surface is mapped, and the same line beginning with "first-frame-us" once
 * its first frame is painted, exactly as the app does.
 */

#include <adwaita.h>
#include <stdio.h>
#include <sys/resource.h>

static void
print_checkpoint (const char *what)
{
  struct rusage usage = { 0, };

  getrusage (RUSAGE_SELF, &usage);
  printf ("%s %" G_GINT64_FORMAT " cpu-us %" G_GINT64_FORMAT "\n",
          what,
          g_get_real_time (),
          (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
          + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  fflush (stdout);
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  print_checkpoint ("first-frame-us");
  g_signal_handlers_disconnect_by_func (frame_clock, after_paint_cb, user_data);
}

static void
surface_mapped_cb (GdkSurface *surface,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  if (!gdk_surface_get_mapped (surface))
    return;

  print_checkpoint ("mapped-us");
  g_signal_handlers_disconnect_by_func (surface, surface_mapped_cb, user_data);
}

static void
realize_cb (GtkWidget *window,
            gpointer   user_data)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  g_signal_connect (gtk_native_get_surface (GTK_NATIVE (window)), "notify::mapped",
                    G_CALLBACK (surface_mapped_cb), NULL);
}

static void
activate_cb (GApplication *app,
             gpointer      user_data)
{
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *header_bar;
  GtkWidget *status_page;

  window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_title (GTK_WINDOW (window), "Bare Window");
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header_bar = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header_bar);
  status_page = adw_status_page_new ();
  adw_status_page_set_title (ADW_STATUS_PAGE (status_page), "Bare Window");
  gtk_widget_set_vexpand (status_page, TRUE);
  gtk_box_append (GTK_BOX (box), status_page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  if (g_strcmp0 (g_getenv ("STOMPY_BENCH_FIRST_FRAME"), "1") == 0)
    g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);

  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.stompy.Connect.BenchBareWindow", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
