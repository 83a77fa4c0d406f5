import { Route, Routes } from 'react-router-dom';
import { RequestDetail } from '../components/RequestDetail/RequestDetail';

/** The request page at /elevated-access/requests/:id, routed as the plugin routes it. */
export function RequestPage() {
  return (
    <Routes>
      <Route path="/elevated-access/requests/:id" element={<RequestDetail />} />
    </Routes>
  );
}
