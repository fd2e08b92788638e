export type ToastVariant = 'success' | 'error';

/** O2's toast contract: `o-toast-message` with `data-test-variant` and `data-test-message`. */
export function Toast({ variant, message }: { variant: ToastVariant; message: string }) {
  return (
    <div
      className={`o-toast o-toast-${variant}`}
      role={variant === 'error' ? 'alert' : 'status'}
      data-test="o-toast-message"
      data-test-variant={variant}
      data-test-message={message}
    >
      {message}
    </div>
  );
}
