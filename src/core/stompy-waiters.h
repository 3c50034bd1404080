/* stompy-waiters.h — callers waiting for a watch to settle, each with its own cancellable
 *
 * A watch (a stack's, a connection's) lets any number of callers wait until it
 * settles, each as a GTask from its _wait_async(). Cancelling one caller's
 * cancellable returns that task alone, with G_IO_ERROR_CANCELLED, and leaves
 * the watch and the other waiters as they are. The task is returned from an
 * idle in its own context, not inside the cancellable's signal: returning it
 * there could run a callback that disconnects the very handler being run.
 *
 * The struct is kept in the watch itself, zero-initialised; a waiter's task
 * keeps the watch (its source object), and with it the struct, alive.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GList *tasks;   /* of GTask, owned */
} StompyWaiters;

/* Returns @task to its caller, from the watch's state as it is now. */
typedef void (*StompyWaiterReturnFunc) (GTask    *task,
                                        gpointer  user_data);

/* Adds @task, whose task data this takes over, to the waiters. */
void     stompy_waiters_add        (StompyWaiters          *waiters,
                                    GTask                  *task);
gboolean stompy_waiters_is_empty   (const StompyWaiters    *waiters);
/* Returns every waiter: with a copy of @error when it is set, else by @return_func. */
void     stompy_waiters_return_all (StompyWaiters          *waiters,
                                    const GError           *error,
                                    StompyWaiterReturnFunc  return_func,
                                    gpointer                user_data);

G_END_DECLS
