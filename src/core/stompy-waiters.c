/* stompy-waiters.c — see stompy-waiters.h */

#include "config.h"

#include "stompy-waiters.h"

/* A waiter's task data: where it waits, and its cancellable's handler. */
typedef struct
{
  StompyWaiters *waiters;
  gulong         handler_id;
} Waiter;

static void
disconnect (GTask *task)
{
  Waiter *waiter = g_task_get_task_data (task);

  if (waiter->handler_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), waiter->handler_id);
  waiter->handler_id = 0;
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  Waiter *waiter = g_task_get_task_data (task);
  GList *link = g_list_find (waiter->waiters->tasks, task);

  /* Returned meanwhile (the watch settled or stopped): nothing to do. */
  if (link != NULL)
    {
      waiter->waiters->tasks = g_list_delete_link (waiter->waiters->tasks, link);
      disconnect (task);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Waiting was cancelled");
      g_object_unref (task);
    }

  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  GSource *source = g_idle_source_new ();

  /* The handler holds no reference to the task (it is disconnected before
   * the task returns); the idle takes one. */
  g_source_set_callback (source, cancelled_idle_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[stompy] wait cancelled");
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

void
stompy_waiters_add (StompyWaiters *waiters,
                    GTask         *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  Waiter *waiter = g_new0 (Waiter, 1);

  g_return_if_fail (waiters != NULL);
  g_return_if_fail (G_IS_TASK (task));

  waiter->waiters = waiters;
  g_task_set_task_data (task, waiter, g_free);
  waiters->tasks = g_list_append (waiters->tasks, g_object_ref (task));

  /* Connected last: an already cancelled cancellable runs the handler now. */
  if (cancellable != NULL)
    waiter->handler_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), task,
                                                NULL);
}

gboolean
stompy_waiters_is_empty (const StompyWaiters *waiters)
{
  g_return_val_if_fail (waiters != NULL, TRUE);

  return waiters->tasks == NULL;
}

void
stompy_waiters_return_all (StompyWaiters          *waiters,
                           const GError           *error,
                           StompyWaiterReturnFunc  return_func,
                           gpointer                user_data)
{
  GList *tasks;

  g_return_if_fail (waiters != NULL);
  g_return_if_fail (error != NULL || return_func != NULL);

  /* Taken first: a task's callback may start waiting again. */
  tasks = g_steal_pointer (&waiters->tasks);
  for (GList *l = tasks; l != NULL; l = l->next)
    {
      g_autoptr(GTask) task = l->data;

      disconnect (task);
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        return_func (task, user_data);
    }
  g_list_free (tasks);
}
