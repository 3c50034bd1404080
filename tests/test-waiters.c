/* test-waiters.c — callers waiting for a watch, each with its own cancellable (stompy-waiters.h) */
#include "config.h"

#include "stompy-waiters.h"

typedef struct
{
  GObject       *watch;          /* the waiters' owner, as a watch would be */
  StompyWaiters  waiters;
  guint          returned;       /* results seen by done_cb */
  guint          cancelled;      /* of which G_IO_ERROR_CANCELLED */
  guint          failed;         /* of which another error */
  gboolean       wait_again;     /* done_cb adds a new waiter once */
} Fixture;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;
  gssize value = g_task_propagate_int (G_TASK (result), &error);

  fixture->returned++;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fixture->cancelled++;
  else if (error != NULL)
    fixture->failed++;
  else
    g_assert_cmpint (value, ==, 42);

  if (fixture->wait_again)
    {
      g_autoptr(GTask) task = g_task_new (fixture->watch, NULL, done_cb, fixture);

      fixture->wait_again = FALSE;
      stompy_waiters_add (&fixture->waiters, task);
    }
}

static void
return_42 (GTask    *task,
           gpointer  user_data)
{
  g_task_return_int (task, 42);
}

static void
wait (Fixture      *fixture,
      GCancellable *cancellable)
{
  g_autoptr(GTask) task = g_task_new (fixture->watch, cancellable, done_cb, fixture);

  stompy_waiters_add (&fixture->waiters, task);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->watch = g_object_new (G_TYPE_OBJECT, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_true (stompy_waiters_is_empty (&fixture->waiters));
  g_assert_finalize_object (fixture->watch);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* One waiter cancelled: it alone is told, from an idle; the others wait on. */
static void
test_cancel_one (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GCancellable) first = g_cancellable_new ();
  g_autoptr(GCancellable) second = g_cancellable_new ();

  wait (fixture, first);
  wait (fixture, second);
  wait (fixture, NULL);

  g_cancellable_cancel (first);
  g_assert_cmpuint (fixture->returned, ==, 0);
  spin ();
  g_assert_cmpuint (fixture->returned, ==, 1);
  g_assert_cmpuint (fixture->cancelled, ==, 1);
  g_assert_false (stompy_waiters_is_empty (&fixture->waiters));

  stompy_waiters_return_all (&fixture->waiters, NULL, return_42, NULL);
  spin ();
  g_assert_cmpuint (fixture->returned, ==, 3);
  g_assert_cmpuint (fixture->cancelled, ==, 1);
  g_assert_cmpuint (fixture->failed, ==, 0);

  /* Cancelled after it was returned: nothing more happens. */
  g_cancellable_cancel (second);
  spin ();
  g_assert_cmpuint (fixture->returned, ==, 3);
}

/* A cancellable cancelled before the wait began. */
static void
test_already_cancelled (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  wait (fixture, cancellable);
  spin ();
  g_assert_cmpuint (fixture->returned, ==, 1);
  g_assert_cmpuint (fixture->cancelled, ==, 1);
}

/* An error for everyone (the watch stopped), and a cancel racing with it: each
 * task is returned once, the cancelled one as cancelled (GTask's own rule for a
 * task whose cancellable is cancelled), even though its idle comes after. */
static void
test_return_error (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "stopped");

  wait (fixture, cancellable);
  wait (fixture, NULL);
  g_cancellable_cancel (cancellable);           /* its idle is pending */
  stompy_waiters_return_all (&fixture->waiters, error, NULL, NULL);
  spin ();
  g_assert_cmpuint (fixture->returned, ==, 2);
  g_assert_cmpuint (fixture->failed, ==, 1);
  g_assert_cmpuint (fixture->cancelled, ==, 1);
}

/* A caller that waits again from its callback waits for the next time. */
static void
test_wait_again (Fixture       *fixture,
                 gconstpointer  data)
{
  wait (fixture, NULL);
  fixture->wait_again = TRUE;
  stompy_waiters_return_all (&fixture->waiters, NULL, return_42, NULL);
  spin ();
  g_assert_cmpuint (fixture->returned, ==, 1);
  g_assert_false (stompy_waiters_is_empty (&fixture->waiters));

  stompy_waiters_return_all (&fixture->waiters, NULL, return_42, NULL);
  spin ();
  g_assert_cmpuint (fixture->returned, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/waiters/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("cancel-one", test_cancel_one);
  ADD ("already-cancelled", test_already_cancelled);
  ADD ("return-error", test_return_error);
  ADD ("wait-again", test_wait_again);
#undef ADD

  return g_test_run ();
}
